namespace Coup.History;

/// <summary>
/// What an op's <c>error</c> says, where checkers and reports must tell it apart (docs/history.md).
/// </summary>
public static class OpErrors
{
    /// <summary>
    /// A <c>fail</c> because the node written to does not lead the write's group: the client
    /// picked the wrong node, which a client following the leader does only while it has not yet
    /// learnt of a new one. The error is this text, or this text, <c>": "</c> and the system's
    /// own words (e.g. Redis's READONLY).
    /// </summary>
    public const string NotLeader = "not leader";

    /// <summary>Whether <paramref name="op"/> is a refusal by a node that does not lead, not a failure.</summary>
    public static bool IsNotLeader(ClientOp op) =>
        op.Phase == OpPhases.Fail && op.Error is { } error
        && (error == NotLeader || error.StartsWith(NotLeader + ": ", StringComparison.Ordinal));

    /// <summary>The error of a refusal by a node that does not lead, with the system's own words.</summary>
    public static string NotLeaderSaying(string words) => $"{NotLeader}: {words}";
}
