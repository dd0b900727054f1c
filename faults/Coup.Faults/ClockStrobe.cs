using System.Globalization;

namespace Coup.Faults;

/// <summary>
/// Jepsen's clock strobe as a user names it: <c>clock-strobe[=DELTAms/PERIODms][:TARGET]</c>. For
/// the fault's hold the targets' clocks jump forward by <see cref="DeltaMs"/> and back to true time,
/// each <see cref="PeriodMs"/> (docs/clocks.md). Recorded as one <c>clock</c> fault.
/// </summary>
public sealed record ClockStrobe
{
    public const string Name = "clock-strobe";
    public const int DeltaMsDefault = 200;
    public const int DeltaMsMin = 1;
    public const int DeltaMsMax = 60_000;
    /// <summary>
    /// libfaketime re-reads its control file at most once a second (FAKETIME_CACHE_DURATION), so a
    /// container's clock cannot step more often; the simulator keeps the same floor.
    /// </summary>
    public const int PeriodMsMin = 1000;
    public const int PeriodMsDefault = PeriodMsMin;
    public const int PeriodMsMax = 10_000;

    public int DeltaMs { get; init; } = DeltaMsDefault;
    public int PeriodMs { get; init; } = PeriodMsDefault;
    public NodeTarget Target { get; init; } = NodeTarget.Leader;

    /// <summary>The change applied on each jump forward; each jump back is a reset to true time.</summary>
    public ClockChange Forward => new() { OffsetS = DeltaMs / 1000.0 };

    /// <summary>
    /// Whether the targets' clocks are ahead after step <paramref name="step"/>: step 0 (the fault's
    /// start) jumps forward, step 1 back, and so on.
    /// </summary>
    public static bool IsForward(int step) => step % 2 == 0;

    /// <summary>The spec <paramref name="text"/> names, or null with the one-line reason.</summary>
    public static ClockStrobe? Parse(string text, out string? problem)
    {
        var (name, valueText, targetText) = FaultSpecText.Split(text);
        problem = null;
        if (name != Name)
        {
            problem = $"unknown clock fault '{name}'; use {Name}[=DELTAms/PERIODms][:TARGET]";
            return null;
        }
        var strobe = new ClockStrobe();
        if (valueText is not null)
        {
            var parts = valueText.Split('/');
            if (parts.Length != 2 || Ms(parts[0]) is not { } deltaMs || Ms(parts[1]) is not { } periodMs)
            {
                problem = $"{text}: the strobe must be DELTAms/PERIODms ({Name}=200ms/1000ms), got '{valueText}'";
                return null;
            }
            strobe = strobe with { DeltaMs = deltaMs, PeriodMs = periodMs };
        }
        problem = strobe.DeltaMs is < DeltaMsMin or > DeltaMsMax
            ? $"{text}: the delta must be {DeltaMsMin}-{DeltaMsMax} ms, got {strobe.DeltaMs}"
            : strobe.PeriodMs is < PeriodMsMin or > PeriodMsMax
                ? $"{text}: the period must be {PeriodMsMin}-{PeriodMsMax} ms (libfaketime re-reads a " +
                    $"container's clock once a second), got {strobe.PeriodMs}"
                : null;
        if (problem is not null)
        {
            return null;
        }
        if (targetText is null)
        {
            return strobe;
        }
        var target = NodeTarget.Parse(targetText, out problem);
        if (target is null)
        {
            problem = $"{Name}: {problem}";
            return null;
        }
        return strobe with { Target = target };
    }

    /// <summary>Whole ms, the unit written out: <c>200ms</c>.</summary>
    private static int? Ms(string text) =>
        text.EndsWith("ms", StringComparison.Ordinal) && text[..^2] is { Length: > 0 and < 7 } digits
            && digits.All(char.IsAsciiDigit) ? int.Parse(digits, CultureInfo.InvariantCulture) : null;

    /// <summary>For people and the history's detail: <c>strobe +200 ms every 1000 ms</c>.</summary>
    public string Describe() => $"strobe +{DeltaMs} ms every {PeriodMs} ms";

    public override string ToString()
    {
        var figures = DeltaMs == DeltaMsDefault && PeriodMs == PeriodMsDefault ? "" : $"={DeltaMs}ms/{PeriodMs}ms";
        var target = Target.Kind == NodeTargetKind.Leader ? "" : $":{Target}";
        return $"{Name}{figures}{target}";
    }
}
