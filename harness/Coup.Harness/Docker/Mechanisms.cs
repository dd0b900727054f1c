using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using Coup.Faults;
using Coup.Nodes;
using Coup.Nodes.Packets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Coup.Harness.Docker;

/// <summary>
/// How each fault is applied to containers and healed: SIGKILL and start, the cgroup freezer,
/// iptables DROP rules in a chain of our own inside each node, libfaketime's control file, and packet
/// shaping by the path <see cref="PacketPaths"/> chooses.
/// A fault that cannot be applied throws; it is never a silent no-op.
/// </summary>
public sealed class Mechanisms(DockerClient docker, DockerCluster cluster) : IFaultMechanisms
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
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null && state is not null && state.Running
            && state.Pid > 0 && File.Exists($"/proc/{state.Pid}/stat"))
        {
            using var process = Process.GetProcessById((int)state.Pid);
            process.Kill();
            lock (_justKilled)
            {
                _justKilled[node] = state.Pid;
            }
            return;
        }
        await docker.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, cancellation);
    }

    /// <summary>Starts a killed node and returns once it answers.</summary>
    public async Task RestartAsync(string node, CancellationToken cancellation)
    {
        await StartAsync(node, cancellation);
        await cluster.WaitReadyAsync(node, cancellation);
    }

    /// <summary>
    /// Starts a killed node's container and returns at once. A process killed directly a moment
    /// ago may not be seen as stopped by the engine yet, and a start of a container it still takes
    /// for running does nothing, so after such a kill this waits for the engine to see it. On a
    /// loaded machine that took more than 5 s: the start did nothing and the node never came back.
    /// A container already running another process than the one killed was started by a restart
    /// whose answer was cut off (the run's end): it is up, and waiting for it to stop would be vain.
    /// </summary>
    public async Task StartAsync(string node, CancellationToken cancellation)
    {
        var id = cluster.ContainerId(node);
        long? killedPid;
        lock (_justKilled)
        {
            // Forgotten only once started: a restart cancelled halfway (the run's end) leaves it to teardown's.
            killedPid = _justKilled.TryGetValue(node, out var pid) ? pid : null;
        }
        var deadline = DateTime.UtcNow + ExitSeenMax;
        while (killedPid is not null && (await docker.Containers.InspectContainerAsync(id, cancellation)).State is
            { Running: true } state)
        {
            if (state.Pid != killedPid)
            {
                Forget(node);
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"the engine still took {node} for running {ExitSeenMax.TotalSeconds:0}"
                        + $" s after its process was killed");
            }
            await Task.Delay(20, cancellation);
        }
        await docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellation);
        Forget(node);
    }

    private void Forget(string node)
    {
        lock (_justKilled)
        {
            _justKilled.Remove(node);
        }
    }

    private static readonly TimeSpan ExitSeenMax = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Nodes whose process the harness killed itself and has not started again, with the killed pid.
    /// </summary>
    private readonly Dictionary<string, long> _justKilled = [];

    public Task PauseAsync(string node, CancellationToken cancellation) =>
        docker.Containers.PauseContainerAsync(cluster.ContainerId(node), cancellation);

    public Task ResumeAsync(string node, CancellationToken cancellation) =>
        docker.Containers.UnpauseContainerAsync(cluster.ContainerId(node), cancellation);

    /// <summary>
    /// Each node drops packets from the node addresses its grudge names, and nothing else. A link
    /// cut both ways (components, or drops that mirror each other) drops every packet from the
    /// peer; a link cut one way drops only the peer's packets to the members' peer message port,
    /// so the peer's messages are lost while the node's own connection to the peer, and the
    /// acknowledgements on it, still work (docs/partitions.md). Members with no such port refuse
    /// a one-way link before any rule is applied. One iptables-restore per node replaces the
    /// chain's rules atomically (declaring the chain creates or flushes it); the jump from INPUT is
    /// added when missing, as after a restart, which gives the container a new network namespace.
    /// <c>${jump}</c> is braced: a node that drops nothing (a bridge) has no rule after it, and
    /// <c>$jumpCOMMIT</c> read as one empty variable left iptables-restore without its COMMIT.
    /// </summary>
    /// <param name="only">Apply the rules of these nodes alone (restarted ones), the others' being in place.</param>
    public Task PartitionAsync(Grudge grudge, CancellationToken cancellation, IReadOnlyList<string>? only = null)
    {
        var port = cluster.Members.PeerMessagePort;
        var oneWay = grudge.Nodes.SelectMany(n => grudge.DroppedBy(n).Where(p => !grudge.DroppedBy(p).Contains(n))
            .Select(p => $"{n} <-x {p}")).ToList();
        if (oneWay.Count > 0 && port is null)
        {
            throw new InvalidOperationException(
                $"a one-way cut ({string.Join(", ", oneWay)}) cannot be applied to {cluster.Members.Image}: its " +
                "peers carry both directions on one connection, so no packet rule cuts one and keeps the other; " +
                "use a symmetric shape (halves, isolate, bridge, minority)");
        }
        return Task.WhenAll(grudge.Nodes.Where(n => only is null || only.Contains(n)).Select(node =>
        {
            var drops = string.Concat(grudge.DroppedBy(node).Select(peer => grudge.DroppedBy(peer).Contains(node)
                ? $"-A {Chain} -s {cluster.Addresses[peer]} -j DROP\\n"
                : $"-A {Chain} -s {cluster.Addresses[peer]} -p tcp --dport {port} -j DROP\\n"));
            var script = $"jump=''; iptables -w -C INPUT -j {Chain} 2>/dev/null || jump='-I INPUT -j {Chain}\\n'; " +
                $"printf \"*filter\\n:{Chain} - [0:0]\\n${{jump}}{drops}COMMIT\\n\" | iptables-restore -w --noflush";
            return ExecAsync(node, script, cancellation);
        }));
    }

    /// <summary>
    /// Flushes each node's chain. A node without the chain (restarted since the cut, or never cut) has
    /// nothing to heal; any other failure of the flush is an error, not a silent no-op.
    /// </summary>
    public Task HealPartitionAsync(IEnumerable<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(node => ExecAsync(node,
            $"if iptables -w -n -L {Chain} >/dev/null 2>&1; then iptables -w -F {Chain}; fi", cancellation)));

    /// <summary>
    /// The cut in force, put on a restarted node: a restart gives it a new network namespace without rules.
    /// </summary>
    private Grudge? _cut;

    Task IFaultMechanisms.KillAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => KillAsync(n, cancellation)));

    async Task IFaultMechanisms.RestartAsync(IReadOnlyList<string> nodes, CancellationToken cancellation)
    {
        await Task.WhenAll(nodes.Select(n => RestartAsync(n, cancellation)));
        if (_cut is { } cut)
        {
            await PartitionAsync(cut, cancellation, only: nodes);
        }
        if (_packets is { } packets)
        {
            await ShapePacketsAsync(packets.Shaping, packets.Path, nodes, cancellation);
        }
    }

    /// <summary>
    /// The packet shaping in force and its path, put again on a restarted node (new namespace, new process).
    /// </summary>
    private (PacketShaping Shaping, PacketPath Path)? _packets;

    async Task IFaultMechanisms.ShapePacketsAsync(PacketShaping shaping, CancellationToken cancellation)
    {
        var system = (cluster.Members as SystemMembers)?.System.Name;
        var path = PacketPaths.Choose(shaping.Shape, PacketPaths.KernelHasNetem, system, out var refusal)
            ?? throw new InvalidOperationException(refusal);
        if (_packets is not null)
        {
            await ((IFaultMechanisms)this).ClearPacketsAsync(cancellation);
        }
        _packets = (shaping, path);
        await ShapePacketsAsync(shaping, path, null, cancellation);
    }

    async Task IFaultMechanisms.ClearPacketsAsync(CancellationToken cancellation)
    {
        if (_packets is not { } packets)
        {
            return;
        }
        await Task.WhenAll(cluster.Addresses.Keys.Select(node => packets.Path switch
        {
            PacketPath.Netem => ExecAsync(node, PacketPaths.NetemClearScript, cancellation),
            PacketPath.IptablesLoss => ExecAsync(node, PacketPaths.LossClearScript, cancellation),
            _ => SendPacketRulesAsync(node, null, cancellation),
        }));
        _packets = null;
    }

    /// <summary>
    /// Netem and the node host shape at the sender, on its links to the shaped peers; iptables drops at
    /// the receiver, the packets from the shaped peers.
    /// </summary>
    /// <param name="only">Shape these nodes alone (restarted ones), the others' shaping being in place.</param>
    private Task ShapePacketsAsync(
        PacketShaping shaping, PacketPath path, IReadOnlyList<string>? only, CancellationToken cancellation)
    {
        var address = (string node) => cluster.Addresses[node].ToString();
        var bySender = shaping.Links.ToLookup(l => l.From, l => l.To);
        var byReceiver = shaping.Links.ToLookup(l => l.To, l => l.From);
        var shaped = cluster.Addresses.Keys.Where(n => only is null || only.Contains(n));
        return Task.WhenAll(shaped.Select(node => path switch
        {
            PacketPath.Netem when bySender[node].Any() =>
                ExecAsync(node, PacketPaths.NetemScript(shaping.Shape, bySender[node].Select(address)), cancellation),
            PacketPath.IptablesLoss when byReceiver[node].Any() => ExecAsync(node,
                PacketPaths.LossScript(shaping.Shape.LossPercent, byReceiver[node].Select(address)), cancellation),
            PacketPath.NodeHost when bySender[node].Any() => SendPacketRulesAsync(node, new PacketRules
            {
                Rules =
                [
                    .. bySender[node].Select(
                        to => new PacketRule { Peer = NodeNames.IdOf(to), Shape = shaping.Shape }),
                ],
            }, cancellation),
            _ => Task.CompletedTask,
        }));
    }

    private static readonly HttpClient ControlApi = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Puts the rules on a Coup node's peer links (<c>POST /packets</c>), or takes them all off (null).
    /// </summary>
    private async Task SendPacketRulesAsync(string node, PacketRules? rules, CancellationToken cancellation)
    {
        var uri = new Uri($"http://{cluster.Addresses[node]}:{Wire.ControlPort}/packets");
        using var response = rules is null
            ? await ControlApi.DeleteAsync(uri, cancellation)
            : await ControlApi.PostAsJsonAsync(uri, rules, Wire.Types.PacketRules, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{node} refused its packet rules: " +
                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellation)}");
        }
    }

    Task IFaultMechanisms.PauseAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => PauseAsync(n, cancellation)));

    Task IFaultMechanisms.ResumeAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => ResumeAsync(n, cancellation)));

    Task IFaultMechanisms.PartitionAsync(Grudge grudge, CancellationToken cancellation)
    {
        _cut = grudge;
        return PartitionAsync(grudge, cancellation);
    }

    async Task IFaultMechanisms.HealPartitionAsync(CancellationToken cancellation)
    {
        await HealPartitionAsync(cluster.Addresses.Keys, cancellation);
        _cut = null;
    }

    async Task<double> IFaultMechanisms.ChangeClockAsync(
        IReadOnlyList<string> nodes, ClockChange change, CancellationToken cancellation)
    {
        var stepsMs = await Task.WhenAll(nodes.Select(n => ChangeClockAsync(n, change, cancellation)));
        var stepMs = stepsMs.MaxBy(Math.Abs);
        return Math.Abs(stepMs) > ClockToleranceMs ? stepMs : 0;
    }

    Task IFaultMechanisms.ResetClockAsync(IReadOnlyList<string> nodes, CancellationToken cancellation) =>
        Task.WhenAll(nodes.Select(n => ResetClockAsync(n, cancellation)));

    /// <summary>
    /// Writes the libfaketime spec and returns once the node's clock shows it. libfaketime applies
    /// a rate to the time since it started in the process, which the harness can only estimate
    /// from /proc, so after a rate change it measures the step it caused and corrects the offset:
    /// the fault is then a step of <see cref="ClockChange.OffsetS"/> followed by the new rate.
    /// </summary>
    /// <returns>The unplanned step (ms) the change still caused, 0 when the correction took.</returns>
    public async Task<double> ChangeClockAsync(string node, ClockChange change, CancellationToken cancellation)
    {
        var beforeMs = await WaitForSkewAsync(node, _ => true, cancellation);
        var rate = change.Rate.ToString("0.###", CultureInfo.InvariantCulture);
        // The process started with the container, or later when its node host was replaced in place (a reset).
        var replacedS = cluster.ReplacedAtUptimeS(node).ToString("0.000", CultureInfo.InvariantCulture);
        var estimate = await ExecAsync(node, "st=$(cut -d' ' -f22 /proc/1/stat); hz=$(getconf CLK_TCK); " +
            $"awk -v st=\"$st\" -v hz=\"$hz\" -v rs={replacedS} -v r={rate} " +
            "'{ s = st / hz; if (rs > s) s = rs; printf \"%.3f\", ($1 - s) * (1 - r) }' /proc/uptime", cancellation);
        var offsetS = change.OffsetS + double.Parse(estimate, CultureInfo.InvariantCulture);
        var targetMs = beforeMs + change.OffsetS * 1000;
        await WriteClockSpecAsync(node, offsetS, change.Rate, cancellation);
        // A bump shows as a step of about its size; a rate change as drift (plus the estimate's error).
        // Thresholds well above the ~20 ms noise of reading a loaded node's clock over HTTP.
        Func<double, bool> shown = change.OffsetS != 0
            ? skew => Math.Abs(skew - targetMs) < Math.Abs(change.OffsetS * 1000) / 2
            : skew => Math.Abs(skew - beforeMs) > RateShownMs;
        var shownMs = await WaitForSkewAsync(node, shown, cancellation);
        var errorMs = shownMs - targetMs;
        var unplannedStepMs = 0.0;
        if (Math.Abs(errorMs) > ClockToleranceMs)
        {
            await WriteClockSpecAsync(node, offsetS - errorMs / 1000, change.Rate, cancellation);
            unplannedStepMs = await WaitForStepAsync(node, change.Rate, -errorMs, cancellation) ? 0 : errorMs;
        }
        if (change.Rate != 1)
        {
            await WaitForRateAsync(node, change.Rate, cancellation);
        }
        return unplannedStepMs;
    }

    /// <summary>
    /// Waits until two readings a moment apart show the clock running at about <paramref name="rate"/>.
    /// A rate shows only as drift, and one reading of a loaded node is off by tens of ms: a noisy
    /// reading passed for the change before libfaketime had re-read its file, and ZooKeeper's clock
    /// then ran at its old rate for another second (the clock test read a gain of 0.5 ms in 1 s).
    /// </summary>
    private async Task WaitForRateAsync(string node, double rate, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + ClockTakesEffectMax;
        var measuredRate = double.NaN;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var first = await cluster.ReadClockAsync(node, cancellation);
                await Task.Delay(RateWindow, cancellation);
                var second = await cluster.ReadClockAsync(node, cancellation);
                var elapsedMs = second.ControllerMs - first.ControllerMs;
                measuredRate = (second.NodeMs - first.NodeMs) / elapsedMs;
                if (Math.Abs(measuredRate - rate) < Math.Abs(rate - 1) / 2)
                {
                    return;
                }
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested
                && e is IOException or SocketException or HttpRequestException or OperationCanceledException)
            {
                // A member whose clock just changed may drop a reading; the deadline bounds the retries.
            }
        }
        throw new InvalidOperationException(
            $"{node}'s clock did not run at rate {rate:0.###} within {ClockTakesEffectMax.TotalSeconds}s " +
            $"(measured {measuredRate:0.##})");
    }

    /// <summary>Long enough that a rate of 0.5 or 2 moves the clock well past the noise of two readings.</summary>
    private static readonly TimeSpan RateWindow = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Back to true time, once the node's clock shows it. The rate must be named: a spec without one keeps the old
    /// rate.
    /// </summary>
    public async Task ResetClockAsync(string node, CancellationToken cancellation)
    {
        await WriteClockSpecAsync(node, 0, 1, cancellation);
        await WaitForSkewAsync(node, skew => Math.Abs(skew) < ClockToleranceMs * 5, cancellation);
    }

    public const double ClockToleranceMs = 20;
    private const double RateShownMs = 60;
    /// <summary>
    /// libfaketime re-reads its control file at most once a second (FAKETIME_CACHE_DURATION in the
    /// Dockerfile); a rate is then confirmed over two readings, which take hundreds of ms under load.
    /// 4 s was too little for a strobe's step back at a load of 15 on 2 cores (one test run of two).
    /// </summary>
    private static readonly TimeSpan ClockTakesEffectMax = TimeSpan.FromSeconds(8);

    /// <summary>
    /// Waits for the node's clock to step by about <paramref name="stepMs"/> between two readings,
    /// beyond the drift its rate causes anyway.
    /// </summary>
    private async Task<bool> WaitForStepAsync(string node, double rate, double stepMs, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + ClockTakesEffectMax;
        var previous = await TrySkewMsAsync(node, cancellation);
        var previousAt = Stopwatch.GetTimestamp();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellation);
            var (skew, _) = await TrySkewMsAsync(node, cancellation);
            var now = Stopwatch.GetTimestamp();
            var driftMs = (rate - 1) * Stopwatch.GetElapsedTime(previousAt, now).TotalMilliseconds;
            if (skew is { } skewMs && previous.SkewMs is { } previousMs
                && Math.Abs(skewMs - previousMs - driftMs - stepMs) < Math.Abs(stepMs) / 2)
            {
                return true;
            }
            (previous, previousAt) = ((skew, null), now);
        }
        return false;
    }

    /// <remarks>
    /// A reading that fails is asked again until the deadline: a ZooKeeper member whose clock just
    /// jumped may drop out of its quorum for a moment and close the connection without answering
    /// <c>ruok</c> (a CI run failed on it).
    /// </remarks>
    private async Task<double> WaitForSkewAsync(string node, Func<double, bool> shown, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + ClockTakesEffectMax;
        while (true)
        {
            var (skewMs, failure) = await TrySkewMsAsync(node, cancellation);
            if (skewMs is { } skew && shown(skew))
            {
                return skew;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(skewMs is { } last
                    ? $"{node}'s clock did not take the change within {ClockTakesEffectMax.TotalSeconds}s " +
                        $"(skew {last:0} ms); is libfaketime preloaded?"
                    : $"{node}'s clock could not be read within {ClockTakesEffectMax.TotalSeconds}s " +
                        $"of the change: {failure!.Message}");
            }
            await Task.Delay(20, cancellation);
        }
    }

    /// <summary>
    /// One reading of the node's clock, or the transient failure that kept it: every wait above
    /// retries within its own deadline, since any reading may land while a member drops out.
    /// </summary>
    private async Task<(double? SkewMs, Exception? Failure)> TrySkewMsAsync(
        string node, CancellationToken cancellation)
    {
        try
        {
            return (await SkewMsAsync(node, cancellation), null);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested
            && e is IOException or SocketException or HttpRequestException or OperationCanceledException)
        {
            return (null, e);
        }
    }

    private Task WriteClockSpecAsync(string node, double offsetS, double rate, CancellationToken cancellation)
    {
        var spec = string.Create(CultureInfo.InvariantCulture, $"{offsetS:+0.000;-0.000}s x{rate:0.###}");
        return ExecAsync(node, $"echo '{spec}' > {ClockFile}.tmp && mv {ClockFile}.tmp {ClockFile}", cancellation);
    }

    /// <summary>The node's clock minus the controller's, in ms, read as the node's process sees it.</summary>
    private async Task<double> SkewMsAsync(string node, CancellationToken cancellation) =>
        (await cluster.ReadClockAsync(node, cancellation)).SkewMs;

    /// <summary>
    /// The resident memory of the node's process (the container's init) from /proc/1/status: all of
    /// it (VmRSS), and the anonymous part (RssAnon), which is not shared with the other nodes' processes.
    /// </summary>
    public async Task<ResidentMemory> ResidentMemoryAsync(string node, CancellationToken cancellation)
    {
        var lines = await ExecAsync(node, "grep -E '^(VmRSS|RssAnon):' /proc/1/status", cancellation);
        var kb = lines.Split('\n').Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p is [_, _, "kB"])
            .ToDictionary(p => p[0].TrimEnd(':'), p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return kb.TryGetValue("VmRSS", out var resident) && kb.TryGetValue("RssAnon", out var anonymous)
            ? new ResidentMemory(resident, anonymous)
            : throw new InvalidOperationException($"on {node}: no VmRSS and RssAnon in /proc/1/status: `{lines}`");
    }

    /// <summary>
    /// Runs a shell script inside the node's network and mount namespaces. On a local engine it
    /// enters them directly with nsenter (about 10 ms; <c>docker exec</c> takes 100 ms to 1 s on a
    /// loaded machine, which would blur when a partition took effect); on a remote one it uses exec.
    /// </summary>
    internal async Task<string> ExecAsync(string node, string script, CancellationToken cancellation)
    {
        var id = cluster.ContainerId(node);
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            var state = (await docker.Containers.InspectContainerAsync(id, cancellation)).State;
            if (state is { Running: true, Pid: > 0 })
            {
                return await NamespaceExecAsync(node, state.Pid, script, cancellation);
            }
        }
        var exec = await docker.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters
        {
            Cmd = ["sh", "-c", script],
            AttachStdout = true,
            AttachStderr = true,
        }, cancellation);
        using var stream = await docker.Exec.StartContainerExecAsync(
            exec.ID, new ContainerExecStartParameters(), cancellation);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellation);
        var inspected = await docker.Exec.InspectContainerExecAsync(exec.ID, cancellation);
        return inspected.ExitCode == 0 ? stdout.Trim()
            : throw new InvalidOperationException(
                $"on {node}: `{script}` exited {inspected.ExitCode}: {(stderr + stdout).Trim()}");
    }

    private static async Task<string> NamespaceExecAsync(
        string node, long pid, string script, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in
            new[] { "-t", pid.ToString(CultureInfo.InvariantCulture), "-n", "-m", "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("cannot start nsenter (util-linux)");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        return process.ExitCode == 0 ? (await stdout).Trim()
            : throw new InvalidOperationException(
                $"on {node}: `{script}` exited {process.ExitCode}: {((await stderr) + (await stdout)).Trim()}");
    }
}

/// <summary>A process's resident memory in kB: all of it, and the anonymous part.</summary>
public readonly record struct ResidentMemory(long ResidentKb, long AnonymousKb);
