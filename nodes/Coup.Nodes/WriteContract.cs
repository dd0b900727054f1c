namespace Coup.Nodes;

/// <summary>What clients and hosts agree on about a write.</summary>
public static class WriteContract
{
    /// <summary>A write not answered within this is indeterminate (Jepsen's <c>info</c>).</summary>
    public const int TimeoutMs = 1000;
}

/// <summary>How a client write ended: acknowledged in a term, refused, or indeterminate.</summary>
public sealed record WriteOutcome
{
    public required string Phase { get; init; }
    public long? Term { get; init; }
    /// <summary>The group whose leader acknowledged it (per-group algorithms such as invitation).</summary>
    public string Group { get; init; } = "default";
    public string? Error { get; init; }

    public static WriteOutcome Ok(long term, string group = "default") =>
        new() { Phase = "ok", Term = term, Group = group };
    public static WriteOutcome Fail(string error) => new() { Phase = "fail", Error = error };
    public static WriteOutcome Info(string error) => new() { Phase = "info", Error = error };
}
