namespace Coup.Checkers;

/// <summary>Jepsen's three answers. Combining them, invalid wins over unknown, which wins over valid.</summary>
public enum Verdict { Valid, Invalid, Unknown }

public static class VerdictExtensions
{
    public static Verdict Combine(this Verdict a, Verdict b) =>
        a == Verdict.Invalid || b == Verdict.Invalid ? Verdict.Invalid
        : a == Verdict.Unknown || b == Verdict.Unknown ? Verdict.Unknown
        : Verdict.Valid;

    /// <summary>The process exit code Jepsen uses for a verdict.</summary>
    public static int ExitCode(this Verdict verdict) => verdict switch
    {
        Verdict.Valid => 0,
        Verdict.Invalid => 1,
        _ => 2,
    };
}
