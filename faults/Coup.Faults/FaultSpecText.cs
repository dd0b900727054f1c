namespace Coup.Faults;

/// <summary>
/// A fault spec as typed, <c>NAME[=VALUE][:TARGET]</c>, split into its parts; each fault kind's parser
/// then reads its own value and target.
/// </summary>
public readonly record struct FaultSpecText(string Name, string? Value, string? Target)
{
    public static FaultSpecText Split(string text)
    {
        var colon = text.IndexOf(':');
        var head = colon < 0 ? text : text[..colon];
        var target = colon < 0 ? null : text[(colon + 1)..];
        var equals = head.IndexOf('=');
        return equals < 0
            ? new FaultSpecText(head, null, target)
            : new FaultSpecText(head[..equals], head[(equals + 1)..], target);
    }
}
