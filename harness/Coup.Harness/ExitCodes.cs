namespace Coup.Harness;

/// <summary>
/// Jepsen's verdict codes first, and only the checkers give them; usage and environment errors, a
/// crash of the harness and an interruption each have their own.
/// </summary>
public static class ExitCodes
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unknown = 2;
    public const int Usage = 3;
    public const int Environment = 4;
    /// <summary>A bug in Coup (sysexits' EX_SOFTWARE): the stack trace went to a crash log.</summary>
    public const int Crash = 70;
    public const int Interrupted = 130;

    /// <summary>What <c>--help</c> and the README say about them.</summary>
    public const string Help =
        "Exit codes: 0 valid, 1 invalid, 2 unknown (from the checkers only), 3 usage error, 4 environment error, "
        + "70 crash of Coup itself (stack trace in the run's crash.log, or in store/crashes/), 130 interrupted.";
}

/// <summary>A problem the user can fix; its message is one line that says what to do.</summary>
public sealed class CoupException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CoupException Usage(string message) => new(ExitCodes.Usage, message);
    public static CoupException Environment(string message, Exception? inner = null) =>
        new(ExitCodes.Environment, message, inner);
}

/// <summary>
/// A bug in Coup that struck once a run directory existed: its stack trace belongs in that
/// directory's crash log, beside the history it may have cut short.
/// </summary>
public sealed class CrashInRunException(string runDirectory, Exception cause)
    : Exception($"crashed in {runDirectory}", cause)
{
    public string RunDirectory { get; } = runDirectory;
}
