namespace Coup.Reaper;

/// <summary>
/// What the harness and the reaper agree on: the port the reaper listens on, the greeting that
/// proves a connection reached it (a published port accepts before the process listens), the
/// labels that say what belongs to a run, and the variables that configure it, with their defaults.
/// </summary>
public static class ReaperContract
{
    public const int Port = 8080;

    /// <summary>Every container and network of a run carries it, with the run id as its value.</summary>
    public const string RunLabel = "coup.run";

    /// <summary>Marks the reaper's own container, which it leaves to the engine (it runs with auto-remove).</summary>
    public const string RoleLabel = "coup.role";
    public const string ReaperRole = "reaper";

    public const string RunVariable = "COUP_REAPER_RUN";
    public const string GraceVariable = "COUP_REAPER_GRACE_MS";
    public const string ConnectTimeoutVariable = "COUP_REAPER_CONNECT_TIMEOUT_MS";

    /// <summary>Where the engine's socket is mounted inside the reaper.</summary>
    public const string EngineSocket = "/var/run/docker.sock";

    /// <summary>How long the reaper waits after the last connection closed before it sweeps.</summary>
    public const int GraceMsDefault = 2_000;

    /// <summary>How long the reaper waits for its first connection: a harness that died before connecting.</summary>
    public const int ConnectTimeoutMsDefault = 30_000;

    public static string Greeting(string runId) => $"coup-reaper {runId}\n";
}
