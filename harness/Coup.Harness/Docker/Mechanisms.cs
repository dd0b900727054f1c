using System.Globalization;
using System.Net.Http.Json;
using Coup.Nodes;
using Coup.Faults;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// How each fault is applied to containers and healed: SIGKILL and start, the cgroup freezer,
/// iptables DROP rules in a chain of our own inside each node, and libfaketime's control file.
/// A fault that cannot be applied throws; it is never a silent no-op.
/// </summary>
public sealed class Mechanisms(DockerClient docker, DockerCluster cluster)
{
    public const string Chain = "COUP";
    public const string ClockFile = "/etc/coup/faketime";

    /// <summary>
    /// SIGKILLs the node's process. On a local engine the harness signals the container's init
    /// process directly, which takes effect at once (a kill through the engine's API takes tens
    /// to hundreds of ms to return, and the fault is stamped when it returns); on a remote engine
    /// it goes through the API.
    /// </summary>
    public async Task KillAsync(string node, CancellationToken cancellation)
    {
        var id = cluster.ContainerId(node);
        var state = (await docker.Containers.InspectContainerAsync(id, cancellation)).State;
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null && state is not null && state.Running && state.Pid > 0 && File.Exists($"/proc/{state.Pid}/stat"))
        {
            using var process = System.Diagnostics.Process.GetProcessById((int)state.Pid);
            process.Kill();
            return;
        }
        await docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, cancellation);
    }

    public async Task RestartAsync(string node, CancellationToken cancellation)
    {
        await docker.Containers.StartContainerAsync(cluster.ContainerId(node), new ContainerStartParameters(), cancellation);
        await cluster.WaitReadyAsync(node, cancellation);
    }

    public Task PauseAsync(string node, CancellationToken cancellation) =>
        docker.Containers.PauseContainerAsync(cluster.ContainerId(node), cancellation);

    public Task ResumeAsync(string node, CancellationToken cancellation) =>
        docker.Containers.UnpauseContainerAsync(cluster.ContainerId(node), cancellation);

    /// <summary>Each node drops packets from the node addresses outside its component, and nothing else.</summary>
    public Task PartitionAsync(Grudge grudge, CancellationToken cancellation) =>
        Task.WhenAll(grudge.Components.SelectMany(c => c).Select(node =>
        {
            var drops = string.Join(" ", grudge.DroppedBy(node).Select(peer => $"iptables -A {Chain} -s {cluster.Addresses[peer]} -j DROP;"));
            return ExecAsync(node, $"iptables -N {Chain} 2>/dev/null; iptables -F {Chain} && (iptables -C INPUT -j {Chain} 2>/dev/null || iptables -I INPUT -j {Chain}) && {drops} true", cancellation);
        }));

    public Task HealPartitionAsync(IEnumerable<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(node => ExecAsync(node, $"iptables -F {Chain} 2>/dev/null || true", cancellation)));

    /// <summary>
    /// Writes the libfaketime spec. libfaketime applies a rate to the time since it started in the
    /// process, which the harness can only estimate (from /proc), so after writing the spec it reads
    /// the node's clock back and corrects the offset once: the change is then a clean step of
    /// <see cref="ClockChange.OffsetS"/> followed by the new rate.
    /// </summary>
    public async Task ChangeClockAsync(string node, ClockChange change, CancellationToken cancellation)
    {
        var before = await SkewMsAsync(node, cancellation);
        var rate = change.Rate.ToString("0.###", CultureInfo.InvariantCulture);
        var estimate = await ExecAsync(node, "st=$(cut -d' ' -f22 /proc/1/stat); hz=$(getconf CLK_TCK); " +
            $"awk -v st=\"$st\" -v hz=\"$hz\" -v r={rate} '{{ printf \"%.3f\", ($1 - st / hz) * (1 - r) }}' /proc/uptime", cancellation);
        var offsetS = change.OffsetS + double.Parse(estimate, CultureInfo.InvariantCulture);
        await WriteClockSpecAsync(node, offsetS, change.Rate, cancellation);
        var errorMs = await SkewMsAsync(node, cancellation) - (before + change.OffsetS * 1000);
        if (Math.Abs(errorMs) > ClockToleranceMs)
        {
            await WriteClockSpecAsync(node, offsetS - errorMs / 1000, change.Rate, cancellation);
        }
    }

    /// <summary>Back to true time. The rate must be named: a spec without one keeps the old rate.</summary>
    public Task ResetClockAsync(string node, CancellationToken cancellation) => WriteClockSpecAsync(node, 0, 1, cancellation);

    public const double ClockToleranceMs = 20;

    private Task WriteClockSpecAsync(string node, double offsetS, double rate, CancellationToken cancellation)
    {
        var spec = string.Create(CultureInfo.InvariantCulture, $"{offsetS:+0.000;-0.000}s x{rate:0.###}");
        return ExecAsync(node, $"echo '{spec}' > {ClockFile}.tmp && mv {ClockFile}.tmp {ClockFile}", cancellation);
    }

    /// <summary>The node's clock minus the controller's, in ms, from its control API.</summary>
    private async Task<double> SkewMsAsync(string node, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var sentMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var report = await http.GetFromJsonAsync<StatusReport>(cluster.StatusUri(node), Wire.Json, cancellation)
            ?? throw new InvalidOperationException($"{node} sent an empty status");
        var receivedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return report.NodeWallMs - (sentMs + receivedMs) / 2.0;
    }

    private async Task<string> ExecAsync(string node, string script, CancellationToken cancellation)
    {
        var id = cluster.ContainerId(node);
        var exec = await docker.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters
        {
            Cmd = ["sh", "-c", script],
            AttachStdout = true,
            AttachStderr = true,
        }, cancellation);
        using (var stream = await docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), cancellation))
        {
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellation);
            var inspected = await docker.Exec.InspectContainerExecAsync(exec.ID, cancellation);
            if (inspected.ExitCode != 0)
            {
                throw new InvalidOperationException($"on {node}: `{script}` exited {inspected.ExitCode}: {(stderr + stdout).Trim()}");
            }
            return stdout.Trim();
        }
    }
}
