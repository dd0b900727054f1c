using System.Globalization;
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

    public Task KillAsync(string node, CancellationToken cancellation) =>
        docker.Containers.KillContainerAsync(cluster.ContainerId(node), new ContainerKillParameters { Signal = "KILL" }, cancellation);

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
    /// Writes the libfaketime spec. libfaketime applies a rate to the time since the process started,
    /// so a rate change also sets the offset that keeps the clock continuous at this instant.
    /// </summary>
    public Task ChangeClockAsync(string node, ClockChange change, CancellationToken cancellation)
    {
        var offset = change.OffsetS.ToString("0.###", CultureInfo.InvariantCulture);
        var rate = change.Rate.ToString("0.###", CultureInfo.InvariantCulture);
        var script = "st=$(cut -d' ' -f22 /proc/1/stat); hz=$(getconf CLK_TCK); " +
            $"awk -v st=\"$st\" -v hz=\"$hz\" -v o={offset} -v r={rate} " +
            "'{ e = $1 - st / hz; printf \"%+.3fs x%s\\n\", o + e * (1 - r), r }' /proc/uptime > " + ClockFile + ".tmp && mv " + ClockFile + ".tmp " + ClockFile;
        return ExecAsync(node, script, cancellation);
    }

    public Task ResetClockAsync(string node, CancellationToken cancellation) =>
        ExecAsync(node, $"echo +0 > {ClockFile}.tmp && mv {ClockFile}.tmp {ClockFile}", cancellation);

    private async Task ExecAsync(string node, string script, CancellationToken cancellation)
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
        }
    }
}
