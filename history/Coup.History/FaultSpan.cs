namespace Coup.History;

/// <summary>A fault from its <c>start</c> to the <c>stop</c> that ended it; no stop: it never ended.</summary>
public sealed record FaultSpan(FaultEvent Start, FaultEvent? Stop);

/// <summary>
/// The one rule that pairs a fault's <c>stop</c> with its <c>start</c> (docs/history.md, "Rules"): a
/// stop ends the oldest fault in force of the same kind and the same targets, in the same order. The
/// reader refuses a stop that ends none; <see cref="RunHistory.FaultSpans"/> pairs by the same rule.
/// </summary>
/// <param name="keepSpans">Whether to keep every span for <see cref="Spans"/>, or only the faults in force.</param>
public sealed class FaultPairing(bool keepSpans = true)
{
    private readonly List<FaultSpan> _spans = [];
    /// <summary>The faults in force, oldest first, each with its index in <see cref="_spans"/> (-1: none).</summary>
    private readonly List<(FaultEvent Start, int Span)> _inForce = [];

    /// <summary>Every fault added so far, in the order it started (empty when spans are not kept).</summary>
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
            _inForce.Add((fault, keepSpans ? _spans.Count : -1));
            if (keepSpans)
            {
                _spans.Add(new FaultSpan(fault, null));
            }
            return true;
        }
        var ended = _inForce.FindIndex(f => f.Start.Kind == fault.Kind
            && f.Start.Targets.SequenceEqual(fault.Targets, StringComparer.Ordinal));
        if (ended < 0)
        {
            return false;
        }
        if (_inForce[ended].Span >= 0)
        {
            _spans[_inForce[ended].Span] = _spans[_inForce[ended].Span] with { Stop = fault };
        }
        _inForce.RemoveAt(ended);
        return true;
    }
}
