using System.Net.Sockets;

namespace Coup.Harness.Tests;

/// <summary>
/// A test that needs a Docker engine. Outside CI it is skipped, saying why, when no engine is
/// reachable; with CI=true it always runs, so a missing engine fails it instead.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute() => Skip = DockerEngineCheck.SkipReason();
}

/// <summary>
/// A theory that needs a Docker engine, skipped or failed as <see cref="DockerFactAttribute"/> says.
/// </summary>
public sealed class DockerTheoryAttribute : TheoryAttribute
{
    public DockerTheoryAttribute() => Skip = DockerEngineCheck.SkipReason();
}

internal static class DockerEngineCheck
{
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") != "true" && !EngineReachable()
            ? "no Docker engine at /var/run/docker.sock (start dockerd, or set CI=true to fail instead of skipping)"
            : null;

    private static bool EngineReachable()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is not null)
        {
            return true;
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint("/var/run/docker.sock"));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
