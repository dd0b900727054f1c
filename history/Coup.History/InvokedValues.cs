namespace Coup.History;

/// <summary>
/// Every value a run's clients have invoked, with the line that invoked it, for the rule that each
/// write's value is new in the run. The workload numbers its writes 1, 2, 3, ..., so values are kept
/// as lines in one array indexed from the first value (4 bytes each, with at most as many gaps as
/// values, plus <see cref="GapMax"/>); a value that would leave more gaps goes to a dictionary.
/// </summary>
internal sealed class InvokedValues
{
    /// <summary>How many values past the array's range a value may skip (4 bytes each) and still go in it.</summary>
    private const long GapMax = 1 << 16;

    private long? _firstValue;
    /// <summary>The line of value <c>_firstValue + i</c>, or 0: not invoked.</summary>
    private int[] _lines = new int[1024];
    private int _count;
    /// <summary>How many values the array holds.</summary>
    private long _filled;
    private readonly Dictionary<long, int> _sparse = [];

    /// <summary>
    /// Adds <paramref name="value"/> invoked on <paramref name="line"/>; false, with the earlier line, if it was
    /// invoked before.
    /// </summary>
    public bool TryAdd(long value, int line, out int earlierLine)
    {
        _firstValue ??= value;
        var index = value - _firstValue.Value;
        if (index < 0 || index >= _count + GapMax || index >= 2 * (_filled + GapMax))
        {
            return _sparse.TryAdd(value, line) ? Added(out earlierLine) : Known(_sparse[value], out earlierLine);
        }
        if (index < _count && _lines[index] != 0)
        {
            return Known(_lines[index], out earlierLine);
        }
        if (index >= _lines.Length)
        {
            Array.Resize(ref _lines, (int)Math.Max(_lines.Length * 2L, index + 1));
        }
        _lines[index] = line;
        _filled++;
        _count = (int)Math.Max(_count, index + 1);
        return Added(out earlierLine);
    }

    private static bool Added(out int earlierLine)
    {
        earlierLine = 0;
        return true;
    }

    private static bool Known(int line, out int earlierLine)
    {
        earlierLine = line;
        return false;
    }
}
