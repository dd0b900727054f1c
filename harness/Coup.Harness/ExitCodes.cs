namespace Coup.Harness;

/// <summary>Jepsen's verdict codes first; usage and environment errors each have their own.</summary>
public static class ExitCodes
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Unknown = 2;
    public const int Usage = 3;
    public const int Environment = 4;
    public const int Interrupted = 130;
}

/// <summary>A problem the user can fix; its message is one line that says what to do.</summary>
public sealed class CoupException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CoupException Usage(string message) => new(ExitCodes.Usage, message);
    public static CoupException Environment(string message, Exception? inner = null) => new(ExitCodes.Environment, message, inner);
}
