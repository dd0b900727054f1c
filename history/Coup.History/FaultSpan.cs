namespace Coup.History;

/// <summary>A fault from its <c>start</c> to the <c>stop</c> that ended it; no stop: it never ended.</summary>
public sealed record FaultSpan(FaultEvent Start, FaultEvent? Stop);

/// <summary>
/// The one rule that pairs a fault's <c>stop</c> with its <c>start</c> (docs/history.md, "Rules"): a
/// stop ends the oldest fault in force of the same kind and the same targets, in the same order. The
/// reader refuses a stop that ends none; <see cref="RunHistory.FaultSpans"/> pairs by the same rule.
/// </summary>
internal sealed class FaultPairing
{
    private readonly List<FaultSpan> _spans = [];
    /// <summary>Indexes into <see cref="_spans"/> of the faults in force, oldest first.</summary>
    private readonly List<int> _inForce = [];

    /// <summary>Every fault added so far, in the order it started.</summary>
    public IReadOnlyList<FaultSpan> Spans => _spans;

    /// <summary>Pairs <paramref name="faults"/>, given in time order; a stop that ends no fault is left out.</summary>
    public static IReadOnlyList<FaultSpan> Pair(IEnumerable<FaultEvent> faults)
    {
        var pairing = new FaultPairing();
        foreach (var fault in faults)
        {
            pairing.Add(fault);
        }
        return pairing.Spans;
    }

    /// <summary>Adds the next fault event; false for a stop that ends no fault in force (nothing changes).</summary>
    public bool Add(FaultEvent fault)
    {
        if (fault.Phase == FaultPhases.Start)
        {
            _inForce.Add(_spans.Count);
            _spans.Add(new FaultSpan(fault, null));
            return true;
        }
        var ended = _inForce.FindIndex(i => _spans[i].Start.Kind == fault.Kind
            && _spans[i].Start.Targets.SequenceEqual(fault.Targets, StringComparer.Ordinal));
        if (ended < 0)
        {
            return false;
        }
        _spans[_inForce[ended]] = _spans[_inForce[ended]] with { Stop = fault };
        _inForce.RemoveAt(ended);
        return true;
    }
}
