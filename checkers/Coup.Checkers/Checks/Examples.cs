namespace Coup.Checkers.Checks;

/// <summary>
/// The anomalies a checker reports: every one counted, the first <see cref="KeptMax"/> kept as examples,
/// so a history of any length holds a bounded number of them.
/// </summary>
public sealed class Examples
{
    /// <summary>A long run of one bug yields an anomaly per re-election; the report needs the first ones.</summary>
    public const int KeptMax = 1000;

    private readonly List<Anomaly> _kept = [];

    /// <summary>Every anomaly added, kept or not.</summary>
    public int Count { get; private set; }
    public IReadOnlyList<Anomaly> Kept => _kept;
    /// <summary>For a summary: empty, or how many are listed when some were left out.</summary>
    public string LeftOut => Count > _kept.Count ? $" (the first {_kept.Count} listed)" : "";

    public void Add(Anomaly anomaly)
    {
        Count++;
        if (_kept.Count < KeptMax)
        {
            _kept.Add(anomaly);
        }
    }
}
