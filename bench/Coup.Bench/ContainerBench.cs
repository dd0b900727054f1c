using System.Diagnostics;
using Coup.Checkers;
using Coup.Checkers.Checks;
using Coup.Faults;
using Coup.Harness;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;
using Docker.DotNet;

namespace Coup.Bench;

/// <summary>
/// Measures on real containers with the harness's own parts, so the figures are what a run sees:
/// failovers are recorded as a history and measured by the same failover checker as any run.
/// </summary>
public sealed class ContainerBench : IAsyncDisposable
{
    /// <summary>Five JVMs starting on two cores take ten seconds to elect ZooKeeper's first leader.</summary>
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(30);
    /// <summary>After the killed node is back, let it rejoin and finish booting before the next kill: failover is
    /// measured from a steady cluster.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);
    private readonly DockerClient _docker;
    private readonly string _image;
    private readonly IReadOnlyList<string> _nodes;

    private ContainerBench(DockerClient docker, string image, int nodes)
    {
        _docker = docker;
        _image = image;
        _nodes = NodeNames.ForCount(nodes);
    }

    public static async Task<ContainerBench> CreateAsync(int nodes, CancellationToken cancellation)
    {
        var docker = await DockerEngine.ConnectAsync(cancellation);
        var image = await NodeImage.EnsureAsync(docker, Console.Out, cancellation);
        Console.WriteLine($"raft, {nodes} nodes, election timeout 150-300 ms, heartbeat 30 ms, image {image}");
        Figures.Header();
        return new ContainerBench(docker, image, nodes);
    }

    /// <summary>
    /// What every container run pays besides its time limit: the start of a cluster (reaper, network,
    /// containers, until every control API answers), its teardown (containers, network and reaper
    /// removed), and each node host's resident memory once the cluster has elected and settled.
    /// Given other node images (variants of the node host), it takes their rounds in turn with the
    /// built image's, so that a machine's changing load falls on all of them alike.
    /// </summary>
    public async Task OverheadAsync(int rounds, IReadOnlyList<string> otherImages, CancellationToken cancellation)
    {
        string[] images = [_image, .. otherImages];
        var figures = images.ToDictionary(i => i, _ => new OverheadFigures());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var image in images)
            {
                var figure = figures[image];
                var cluster = new DockerCluster(_docker, $"bench-start-{round}-{Guid.NewGuid().ToString("n")[..6]}");
                try
                {
                    var stopwatch = Stopwatch.StartNew();
                    try
                    {
                        await cluster.StartAsync(image, "raft", _nodes, seed: round, cancellation);
                    }
                    catch (CoupException e)
                    {
                        Console.WriteLine($"| a start of {image} failed: {e.Message} |");
                        continue;
                    }
                    figure.StartMs.Add(stopwatch.Elapsed.TotalMilliseconds);
                    figure.Add(figure.StartStepsMs, cluster.StartSteps);
                    await MeasureMemoryAsync(cluster, figure, cancellation);
                }
                finally
                {
                    var stopwatch = Stopwatch.StartNew();
                    await cluster.DisposeAsync();
                    figure.TeardownMs.Add(stopwatch.Elapsed.TotalMilliseconds);
                    figure.Add(figure.TeardownStepsMs, cluster.TeardownSteps);
                }
            }
        }
        foreach (var (image, figure) in figures)
        {
            var of = images.Length == 1 ? "" : $", {image}";
            var nodes = _nodes.Count;
            Figures.Row($"{nodes}-node cluster start (reaper, network, containers, every control API answers){of}",
                figure.StartMs, "ms");
            foreach (var (step, doneAtMs) in figure.StartStepsMs)
            {
                Figures.Row($"- start step done: {step}{of}", doneAtMs, "ms");
            }
            Figures.Row($"{nodes}-node cluster teardown (containers, network and reaper removed){of}",
                figure.TeardownMs, "ms");
            foreach (var (step, doneAtMs) in figure.TeardownStepsMs)
            {
                Figures.Row($"- teardown step done: {step}{of}", doneAtMs, "ms");
            }
            Figures.Row($"node host resident memory (VmRSS) per node, {SettleTime.TotalSeconds:0} s after start{of}",
                figure.ResidentMb, "MB");
            Figures.Row($"of which anonymous (RssAnon: heap, stacks; not shared between nodes){of}",
                figure.AnonymousMb, "MB");
        }
    }

    /// <summary>
    /// The same on a cluster kept standing between runs, as a matrix keeps it (StandingCluster): one fresh
    /// start not counted, then per round a reset for the round's seed (start: every node resumed, cleared,
    /// its node host replaced and answering) and a stand-by (teardown: every node paused).
    /// </summary>
    public async Task ReusedOverheadAsync(int rounds, CancellationToken cancellation)
    {
        var figure = new OverheadFigures();
        await using var cluster = new DockerCluster(_docker, $"bench-reuse-{Guid.NewGuid().ToString("n")[..6]}");
        await cluster.StartAsync(_image, "raft", _nodes, seed: 0, cancellation);
        await cluster.StandByAsync(cancellation);
        for (var round = 0; round < rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            var members = new CoupMembers(_image, "raft", round + 1, new AlgorithmSettings());
            await cluster.ResetAsync(members, cancellation);
            figure.StartMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            figure.Add(figure.StartStepsMs, cluster.StartSteps);
            await MeasureMemoryAsync(cluster, figure, cancellation);
            stopwatch.Restart();
            await cluster.StandByAsync(cancellation);
            figure.TeardownMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            figure.Add(figure.TeardownStepsMs, cluster.TeardownSteps);
        }
        var nodes = _nodes.Count;
        Figures.Row($"{nodes}-node cluster start, reused (reset until every control API answers)",
            figure.StartMs, "ms");
        foreach (var (step, doneAtMs) in figure.StartStepsMs)
        {
            Figures.Row($"- reused start step done: {step}", doneAtMs, "ms");
        }
        Figures.Row($"{nodes}-node cluster teardown, reused (every node paused)", figure.TeardownMs, "ms");
        Figures.Row($"node host resident memory (VmRSS) per node, {SettleTime.TotalSeconds:0} s after a reset",
            figure.ResidentMb, "MB");
    }

    /// <summary>One node image's overhead over the rounds, and when each step of a start or teardown ended.</summary>
    /// <summary>Each node's resident memory once the cluster has settled.</summary>
    private async Task MeasureMemoryAsync(
        DockerCluster cluster, OverheadFigures figure, CancellationToken cancellation)
    {
        await Task.Delay(SettleTime, cancellation);
        foreach (var node in _nodes)
        {
            var memory = await cluster.Faults.ResidentMemoryAsync(node, cancellation);
            figure.ResidentMb.Add(memory.ResidentKb / 1024.0);
            figure.AnonymousMb.Add(memory.AnonymousKb / 1024.0);
        }
    }

    private sealed class OverheadFigures
    {
        public List<double> StartMs { get; } = [];
        public List<double> TeardownMs { get; } = [];
        public List<double> ResidentMb { get; } = [];
        public List<double> AnonymousMb { get; } = [];
        public Dictionary<string, List<double>> StartStepsMs { get; } = [];
        public Dictionary<string, List<double>> TeardownStepsMs { get; } = [];

        public void Add(Dictionary<string, List<double>> stepsMs, StepTimes times)
        {
            foreach (var (step, doneAt) in times.Steps)
            {
                if (!stepsMs.TryGetValue(step, out var doneAtMs))
                {
                    stepsMs[step] = doneAtMs = [];
                }
                doneAtMs.Add(doneAt.TotalMilliseconds);
            }
        }
    }

    /// <summary>
    /// Kills the leader <paramref name="count"/> times and measures each failover with the failover
    /// checker. <paramref name="target"/> is an algorithm of Coup's node host or a real system
    /// (etcd, zookeeper), whose members are polled every <see cref="SystemPollPeriod"/>.
    /// </summary>
    public async Task FailoversAsync(int count, CancellationToken cancellation, string target = "raft")
    {
        var system = ClusterSystems.Names.Contains(target) ? ClusterSystems.Find(target) : null;
        IMembers members = system is null ? new CoupMembers(_image, target, seed: 1, new AlgorithmSettings())
            : new SystemMembers(
                await NodeImage.EnsureSystemAsync(_docker, system.Name, system.Dockerfile, Console.Out, cancellation),
                system,
                SystemSettings.From(system, []));
        await using var cluster = new DockerCluster(_docker, $"bench-failover-{Guid.NewGuid().ToString("n")[..6]}");
        await cluster.StartAsync(members, _nodes, cancellation);
        var path = Path.Combine(Path.GetTempPath(), $"coup-bench-{Guid.NewGuid():n}.jsonl");
        var costs = new List<Coup.Harness.Compare.ElectionCost>();
        var stopwatch = Stopwatch.StartNew();
        using (var recorder = new Recorder(new HistoryWriter(path), Recorder.MonotonicSince(stopwatch)))
        {
            var plan = new RunPlan
            {
                Algorithm = target,
                System = system?.Name,
                Nodes = _nodes.Count,
                Seed = 1,
                Nemesis = [FaultKind.Kill]
            };
            recorder.Record(_ => Events.Started(plan, DateTimeOffset.UtcNow));
            using var observing = new CancellationTokenSource();
            IClusterObserver observer = members is SystemMembers polled
                ? new PollingObserver(polled.System, polled.Context, recorder, SystemPollPeriod)
                : new Observer(cluster, recorder, _nodes);
            var observation = observer.RunAsync(observing.Token);
            var writing = members is SystemMembers written
                ? WriteSteadilyAsync(written, observing.Token)
                : Task.CompletedTask;
            // Coup's node host counts messages and hops per epoch; real systems do not.
            var counter = system is null ? new ElectionCounter(cluster) : null;
            for (var i = 0; i < count; i++)
            {
                var leader = await StableLeaderAsync(observer, cancellation);
                var live = _nodes.Where(n => n != leader).ToList();
                var fault = new ResolvedFault
                {
                    Plan = new PlannedFault
                    {
                        StartS = 0,
                        HoldS = 0,
                        Kind = FaultKind.Kill,
                        Target = TargetChoice.Leader,
                        ChoiceSeed = i
                    },
                    Kind = FaultKind.Kill,
                    Targets = [leader],
                    Detail = $"leader {leader}",
                };
                await cluster.Faults.KillAsync(leader, cancellation);
                recorder.Record(t => Events.Fault(t, "start", fault));
                var measuring = counter is not null && await counter.BeginAsync(live, cancellation) is { } epoch
                    ? counter.MeasureAsync(live, leader, epoch, cancellation)
                    : null;
                await StableLeaderAsync(observer, cancellation, excluding: leader);
                if (measuring is not null && await measuring is { } cost)
                {
                    costs.Add(cost);
                }
                await cluster.Faults.RestartAsync(leader, cancellation);
                recorder.Record(t => Events.Fault(t, "stop", fault));
                await Task.Delay(SettleTime, cancellation);
            }
            await observing.CancelAsync();
            await observation.ContinueWith(_ => { }, TaskScheduler.Default);
            await writing.ContinueWith(_ => { }, TaskScheduler.Default);
            recorder.Record(t => new RunEnded { TimeNs = t, Reason = "time-limit", HealedNs = t });
        }
        var history = RunHistory.Read(path);
        var failovers = new FailoverChecker().Check(history).Failovers;
        File.Delete(path);
        // Where nodes lead several groups at once (a controller and partitions), the kill is of the
        // first group's leader; the other groups it led fail over too, and are shown apart.
        var first = Coup.Checkers.LeadershipTimeline.Groups(history)[0];
        foreach (var (label, pool) in history.Run.GroupsAreExclusive
            ? [("", failovers)]
            : new[]
            {
                ($" (group {first})", failovers.Where(f => f.Group == first)),
                (" (the other groups it led, pooled)", failovers.Where(f => f.Group != first))
            })
        {
            Figures.Row(
                $"{target}: failover after SIGKILL of the leader, to the first claim of a higher term{label}",
                Ms(pool.Select(f => f.ToFirstClaimNs)),
                "ms");
            Figures.Row(
                $"{target}: failover after SIGKILL of the leader, to a leader a majority acknowledges{label}",
                Ms(pool.Select(f => f.ToMajorityLeaderNs)),
                "ms");
        }
        if (system is null)
        {
            Figures.Row(
                $"{target}"
                + $": election after SIGKILL of the leader, messages until every live node follows the new leader ("
                + $"{costs.Count} of {count} measured)",
                costs.Select(c => (double)c.Messages),
                "messages");
            Figures.Row(
                $"{target}: election after SIGKILL of the leader, rounds (message hops) to the new leader's claim",
                costs.Select(c => (double)c.Rounds),
                "hops");
        }
    }

    /// <summary>
    /// A write every 50 ms to a random member, unrecorded. A ZooKeeper follower shows a new epoch
    /// only with the first transaction of it (its zxid), so without writes a new leader is never
    /// seen acknowledged by a majority; every run has a workload, and so does this.
    /// </summary>
    private async Task WriteSteadilyAsync(SystemMembers members, CancellationToken cancellation)
    {
        var random = new Random(1);
        await using var client = members.System.Connect(members.Context, process: 0);
        while (!cancellation.IsCancellationRequested)
        {
            var node = await client.ServerAsync(cancellation) ?? _nodes[random.Next(_nodes.Count)];
            await client.WriteAsync(node, random.NextInt64(), cancellation);
            await Task.Delay(50, cancellation);
        }
    }

    /// <summary>Real systems are polled; 20 ms keeps the observation's share of a failover small (a run polls every 50
    /// ms).</summary>
    public static readonly TimeSpan SystemPollPeriod = TimeSpan.FromMilliseconds(20);

    public async Task PartitionsAsync(int rounds, CancellationToken cancellation)
    {
        await using var cluster = new DockerCluster(_docker, $"bench-partition-{Guid.NewGuid().ToString("n")[..6]}");
        await cluster.StartAsync(_image, "raft", _nodes, seed: 2, cancellation);
        var random = new Random(2);
        var applyMs = new List<double>();
        var healMs = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            await cluster.Faults.PartitionAsync(Grudge.RandomHalves(_nodes, random), cancellation);
            applyMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            await Task.Delay(200, cancellation);
            stopwatch.Restart();
            await cluster.Faults.HealPartitionAsync(_nodes, cancellation);
            healMs.Add(stopwatch.Elapsed.TotalMilliseconds);
            await Task.Delay(200, cancellation);
        }
        Figures.Row("partition apply (random halves, iptables in every node, in parallel)", applyMs, "ms");
        Figures.Row("partition heal (flush the chain in every node)", healMs, "ms");
    }

    private static IEnumerable<double> Ms(IEnumerable<long?> values) => values.OfType<long>().Select(ns => ns / 1e6);

    /// <summary>Waits until a majority reports the same leader and term, and that leader agrees.</summary>
    private async Task<string> StableLeaderAsync(
        IClusterObserver observer, CancellationToken cancellation, string? excluding = null)
    {
        var deadline = DateTime.UtcNow + ConvergeTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var latest = observer.Latest.Where(s => s.Status is not null).ToList();
            var agreed = latest.GroupBy(s => (s.Status!.Leader, s.Status.Term))
                .FirstOrDefault(g => g.Key.Leader is not null && g.Count() >= _nodes.Count / 2 + 1);
            if (agreed is not null && NodeNames.Of(agreed.Key.Leader!.Value) is var leader && leader != excluding
                && latest.Any(s => s.Node == leader && s.Status!.Role == Role.Leader
                    && s.Status.Term == agreed.Key.Term))
            {
                return leader;
            }
            await Task.Delay(5, cancellation);
        }
        throw new TimeoutException($"no leader a majority acknowledges within {ConvergeTimeout.TotalSeconds}s");
    }

    public ValueTask DisposeAsync()
    {
        _docker.Dispose();
        return ValueTask.CompletedTask;
    }
}
