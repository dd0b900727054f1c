using System.Diagnostics;
using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// Real etcd and ZooKeeper clusters from Debian's packages, in containers, observed like Coup's own nodes.
/// </summary>
[Trait("Category", "Docker")]
public sealed class SystemTests
{
    private static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(30);

    [DockerTheory]
    [InlineData("etcd")]
    [InlineData("zookeeper")]
    public async Task Given_three_members_When_the_leader_is_killed_Then_another_member_leads_in_a_higher_term(
        string name)
    {
        var system = ClusterSystems.Find(name);
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var image = await NodeImage.EnsureSystemAsync(
            docker, system.Name, system.Dockerfile, TextWriter.Null, CancellationToken.None);
        var members = new SystemMembers(image, system, SystemSettings.From(system, []));
        await using var cluster = new DockerCluster(docker, $"test-{name}-{Guid.NewGuid().ToString("n")[..6]}");
        await cluster.StartAsync(members, NodeNames.ForCount(3), CancellationToken.None);

        var (leader, term) = await LeaderAsync(system, members.Context, excluded: null);
        await cluster.Faults.KillAsync(leader, CancellationToken.None);
        var (successor, successorTerm) = await LeaderAsync(system, members.Context, excluded: leader);

        Assert.NotEqual(leader, successor);
        Assert.True(successorTerm > term, $"{successor} leads in term {successorTerm}, not above {leader}'s {term}");
    }

    [DockerTheory]
    [InlineData("etcd")]
    [InlineData("zookeeper")]
    public async Task Given_three_members_When_partitioned_for_a_minute_Then_it_is_valid_and_its_leaders_are_recorded(
        string name)
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            ["run", "--system", name, "--nodes", "3", "--nemesis", "partition", "--time-limit", "60", "--interval",
                "8", "--seed", "4", "--store", store.Root, "--quiet", "4"],
            CancellationToken.None);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Equal(name, history.Run.Algorithm);
        Assert.Contains(history.States, s => s.IsLeader && s.Term > 0);
        Assert.Contains(
            history.Ops, o => o.Phase == OpPhases.Ok && o.AcknowledgedBy is { } by && by != ClientOp.UnknownLeader);
        // Every member was asked, and each answer recorded says how late it can be.
        var polled = history.States.Where(s => s.Source == "poll").ToList();
        Assert.Equal(history.Run.Nodes.Order(), polled.Select(s => s.Node).Distinct().Order());
        Assert.All(polled, s => Assert.True(s.LagNs > 0, $"{s.Node} at {s.TimeNs} ns: lag {s.LagNs}"));
        Assert.True(File.Exists(Path.Combine(store.Latest, "nodes", "n1", "node.log")));
    }

    [DockerFact]
    public async Task Given_redis_sentinel_When_the_primary_is_in_a_minority_Then_two_primaries_ack_writes_invalidly()
    {
        using var store = new TempStore();

        // Seed 1's one partition (about 12.9 s to 20.2 s) cuts n1, the first primary and so the leader, off from
        // n2 and n3, for long enough that the Sentinels promote another and it takes writes before the heal.
        var exit = await CoupCli.InvokeAsync(
            ["run", "--system", "redis-sentinel", "--nodes", "3", "--nemesis", "partition", "--time-limit", "30",
                "--interval", "14", "--seed", "1", "--store", store.Root, "--quiet", "4"],
            CancellationToken.None);

        Assert.Equal(1, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var cut = history.Faults.First(f => f.Phase == "start"
            && f.Components is { } c && c.Any(side => side.SequenceEqual(["n1"])));
        var results = ResultsFile.Read(store.LatestFile("results.json"));
        var duel = results.Checks.Single(c => c.Checker == "dueling-writes").Anomalies.First();
        Assert.Contains("n1", duel.Nodes);
        Assert.Equal(2, duel.Nodes.Distinct().Count());
        Assert.Equal(2, duel.Terms.Distinct().Count());
        Assert.True(duel.StartNs > cut.TimeNs, "the new primary's writes come after the cut");
        // Both primaries acknowledged writes while the cut lasted.
        var healed = history.Faults.First(f => f.Phase == "stop" && f.TimeNs > cut.TimeNs).TimeNs;
        var during = history.Ops
            .Where(o => o.Phase == OpPhases.Ok && o.TimeNs > cut.TimeNs && o.TimeNs < healed)
            .ToList();
        Assert.Contains(during, o => o.Node == "n1");
        Assert.Contains(during, o => o.Node != "n1" && o.Term > during.First(w => w.Node == "n1").Term);
    }

    [DockerFact]
    public async Task Given_dotnet_etcd_When_writing_to_leader_follower_and_lone_member_Then_ok_ok_and_no_leader()
    {
        await using var run = await SystemCluster.StartAsync("etcd");
        await using var client = run.System.Connect(run.Context, process: 0);

        var (leader, term, _, toLeader) = await WriteInTermAsync(run, client, viaFollower: false);
        // etcd forwards a put that reaches a follower; it refuses only when it has no leader.
        var (leaderThen, termThen, follower, toFollower) = await WriteInTermAsync(run, client, viaFollower: true);
        foreach (var other in run.Context.Members.Where(m => m.Node != follower))
        {
            await run.Cluster.Faults.KillAsync(other.Node, CancellationToken.None);
        }
        var alone = await WriteUntilAsync(client, follower, w => w.Outcome.Phase == OpPhases.Fail);

        Assert.Equal((OpPhases.Ok, term, leader),
            (toLeader.Outcome.Phase, toLeader.Outcome.Term, toLeader.AcknowledgedBy));
        Assert.Equal((OpPhases.Ok, termThen, leaderThen),
            (toFollower.Outcome.Phase, toFollower.Outcome.Term, toFollower.AcknowledgedBy));
        Assert.Equal((OpPhases.Fail, "etcdserver: no leader"), (alone.Outcome.Phase, alone.Outcome.Error));
    }

    [DockerFact]
    public async Task Given_StackExchange_Redis_When_writing_to_the_primary_and_a_replica_Then_ok_and_not_leader()
    {
        await using var run = await SystemCluster.StartAsync("redis-sentinel");
        var (primary, epoch) = await LeaderAsync(run.System, run.Context, excluded: null);
        var replica = run.Context.Members.First(m => m.Node != primary).Node;
        await using var client = run.System.Connect(run.Context, process: 0);

        var named = await client.ServerAsync(CancellationToken.None);
        var toPrimary = await client.WriteAsync(primary, 1, CancellationToken.None);
        var toReplica = await client.WriteAsync(replica, 2, CancellationToken.None);

        Assert.Equal(primary, named);
        Assert.Equal((OpPhases.Ok, epoch), (toPrimary.Outcome.Phase, toPrimary.Outcome.Term));
        var refusal = new ClientOp
        {
            TimeNs = 0,
            Process = 0,
            Node = replica,
            Value = 2,
            Phase = toReplica.Outcome.Phase,
            Error = toReplica.Outcome.Error,
        };
        Assert.True(OpErrors.IsNotLeader(refusal), $"{toReplica.Outcome.Phase}: {toReplica.Outcome.Error}");
    }

    [DockerFact]
    public async Task Given_zookeeper_When_a_clock_jumps_and_speeds_up_Then_the_JVM_sees_it_and_true_time_after_reset()
    {
        var system = ClusterSystems.Find("zookeeper");
        using var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
        var image = await NodeImage.EnsureSystemAsync(
            docker, system.Name, system.Dockerfile, TextWriter.Null, CancellationToken.None);
        await using var cluster = new DockerCluster(docker, $"test-zkclock-{Guid.NewGuid().ToString("n")[..6]}");
        await cluster.StartAsync(
            new SystemMembers(image, system, SystemSettings.From(system, [])),
            NodeNames.ForCount(3),
            CancellationToken.None);

        var before = await cluster.ReadClockAsync("n2", CancellationToken.None);
        var bumpStep = await cluster.Faults.ChangeClockAsync(
            "n2", new ClockChange { OffsetS = 30 }, CancellationToken.None);
        var bumped = await cluster.ReadClockAsync("n2", CancellationToken.None);
        await cluster.Faults.ResetClockAsync("n2", CancellationToken.None);
        var rateStep = await cluster.Faults.ChangeClockAsync(
            "n2", new ClockChange { Rate = 2 }, CancellationToken.None);
        var fast1 = await cluster.ReadClockAsync("n2", CancellationToken.None);
        await Task.Delay(1000);
        var fast2 = await cluster.ReadClockAsync("n2", CancellationToken.None);
        await cluster.Faults.ResetClockAsync("n2", CancellationToken.None);
        var after = await cluster.ReadClockAsync("n2", CancellationToken.None);
        var other = await cluster.ReadClockAsync("n1", CancellationToken.None);

        // Readings come from the JVM's own log stamps: ms resolution, but on a loaded machine tens of
        // ms of noise (the question's round trip), so the bounds show the fault, not the noise.
        Assert.InRange(before.SkewMs, -250, 250);
        Assert.InRange(bumpStep, -250, 250);
        Assert.InRange(bumped.SkewMs, 30_000 - 500, 30_000 + 500);
        Assert.InRange(rateStep, -250, 250);
        // At twice the rate the JVM's clock gains about a second per second.
        var gainedMs = fast2.SkewMs - fast1.SkewMs;
        var elapsedMs = fast2.ControllerMs - fast1.ControllerMs;
        Assert.True(gainedMs > elapsedMs * 0.7 && gainedMs < elapsedMs * 1.3,
            $"gained {gainedMs:0.#} ms in {elapsedMs:0.#} ms at rate 2: readings {fast1} then {fast2}, " +
            $"the change's step {rateStep:0} ms");
        Assert.InRange(after.SkewMs, -250, 250);
        Assert.InRange(other.SkewMs, -250, 250);
    }

    [DockerFact]
    public async Task Given_zookeeper_When_run_under_clock_faults_Then_every_fault_is_applied_and_healed_validly()
    {
        using var store = new TempStore();

        var exit = await CoupCli.InvokeAsync(
            ["run", "--system", "zookeeper", "--nodes", "3", "--nemesis", "clock", "--time-limit", "30",
                "--interval", "6", "--seed", "2", "--store", store.Root, "--quiet", "4"],
            CancellationToken.None);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var clock = history.Faults.Where(f => f.Kind == "clock").ToList();
        Assert.Contains(clock, f => f.Phase == "start");
        Assert.Equal(clock.Count(f => f.Phase == "start"), clock.Count(f => f.Phase == "stop"));
        Assert.Contains(history.States, s => s.IsLeader && s.Term > 0);
    }

    [Fact]
    public async Task Given_etcd_When_clock_faults_are_asked_for_Then_the_run_is_refused_before_anything_is_recorded()
    {
        using var store = new TempStore();
        var plan = new RunPlan { Algorithm = "raft", System = "etcd", Nemesis = [FaultKind.Clock], Seed = 1 };

        var refusal = Assert.Throws<CoupException>(() => plan.Validated());
        var exit = await CoupCli.InvokeAsync(
            ["run", "--system", "etcd", "--nemesis", "clock", "--store", store.Root], CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("libfaketime cannot skew it", refusal.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(store.Root) && Directory.EnumerateFileSystemEntries(store.Root).Any());
    }

    [Theory]
    [InlineData("etcd", "Go, which reads the clock through the vDSO")]
    [InlineData("redis-sentinel", "recurses in clock_gettime with jemalloc")]
    public void Given_clock_faults_When_the_plan_names_a_system_Then_it_is_refused_with_the_reason(
        string system, string reason)
    {
        var plan = new RunPlan { Algorithm = "raft", System = system, Nemesis = [FaultKind.Clock], Seed = 1 };

        var refusal = Assert.Throws<CoupException>(() => plan.Validated());

        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Theory]
    [InlineData("mysql", new string[0], "unknown system 'mysql'; choose one of: etcd, zookeeper, redis-sentinel")]
    [InlineData("zookeeper", new[] { "tick=5" }, "--set 'tick=5': zookeeper settings are tick-ms=50")]
    [InlineData("zookeeper", new[] { "tick-ms=fast" }, "--set tick-ms=fast: must be a positive whole number")]
    [InlineData(null, new[] { "tick-ms=5" },
        "--set 'tick-ms=5': an algorithm's settings are election-timeout-ms=150; the others are a real system's")]
    [InlineData(null, new[] { "election-timeout-ms=20" },
        "--set election-timeout-ms must be from 100 to 5000 ms, got 20")]
    [InlineData(null, new[] { "election-timeout-ms=slow" },
        "--set election-timeout-ms=slow: must be a whole number of ms")]
    public void Given_bad_system_options_When_the_plan_is_checked_Then_a_one_line_usage_error_says_what_to_do(
        string? system, string[] settings, string expected)
    {
        var plan = new RunPlan { Algorithm = "raft", System = system, Settings = settings, Seed = 1 };

        var error = Assert.Throws<CoupException>(() => plan.Validated());

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>
    /// Looks for the leader and writes to it (or to a member that is not it) until a write is
    /// acknowledged in the term the leader was seen in, 30 s at most: on a loaded machine etcd can
    /// elect another leader between the look and the write.
    /// </summary>
    private static async Task<(string Leader, long Term, string Target, SystemWrite Write)> WriteInTermAsync(
        SystemCluster run, ISystemClient client, bool viaFollower)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (leader, term) = await LeaderAsync(run.System, run.Context, excluded: null);
            var target = viaFollower ? run.Context.Members.First(m => m.Node != leader).Node : leader;
            var write = await client.WriteAsync(target, 1, CancellationToken.None);
            if ((write.Outcome.Phase == OpPhases.Ok && write.Outcome.Term == term) || waited.Elapsed > LeaderWait)
            {
                return (leader, term, target, write);
            }
        }
    }

    /// <summary>
    /// Writes to <paramref name="node"/> every 100 ms until a write ends as <paramref name="wanted"/> says
    /// (30 s at most).
    /// </summary>
    private static async Task<SystemWrite> WriteUntilAsync(
        ISystemClient client, string node, Func<SystemWrite, bool> wanted)
    {
        var waited = Stopwatch.StartNew();
        var value = 100L;
        while (true)
        {
            var write = await client.WriteAsync(node, value++, CancellationToken.None);
            if (wanted(write) || waited.Elapsed > LeaderWait)
            {
                return write;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>A three-member cluster of a real system in containers, removed when disposed.</summary>
    private sealed class SystemCluster : IAsyncDisposable
    {
        private readonly global::Docker.DotNet.DockerClient _docker;

        private readonly SystemMembers _members;

        private SystemCluster(
            ClusterSystem system, global::Docker.DotNet.DockerClient docker, DockerCluster cluster,
            SystemMembers members) =>
            (System, _docker, Cluster, _members) = (system, docker, cluster, members);

        public ClusterSystem System { get; }
        public DockerCluster Cluster { get; }

        /// <summary>The members' addresses, known once the cluster has started.</summary>
        public SystemContext Context => _members.Context;

        public static async Task<SystemCluster> StartAsync(string name)
        {
            var system = ClusterSystems.Find(name);
            var docker = await DockerEngine.ConnectAsync(CancellationToken.None);
            var image = await NodeImage.EnsureSystemAsync(
                docker, system.Name, system.Dockerfile, TextWriter.Null, CancellationToken.None);
            var members = new SystemMembers(image, system, SystemSettings.From(system, []));
            var cluster = new DockerCluster(docker, $"test-{name}-{Guid.NewGuid().ToString("n")[..6]}");
            var started = new SystemCluster(system, docker, cluster, members);
            try
            {
                await cluster.StartAsync(members, NodeNames.ForCount(3), CancellationToken.None);
                return started;
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Cluster.DisposeAsync();
            _docker.Dispose();
        }
    }

    private static async Task<(string Leader, long Term)> LeaderAsync(
        ClusterSystem system, SystemContext context, string? excluded)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < LeaderWait)
        {
            foreach (var member in context.Members.Where(m => m.Node != excluded))
            {
                try
                {
                    var status = await system.ProbeAsync(member, context, CancellationToken.None);
                    if (status.Role == Role.Leader)
                    {
                        return (member.Node, status.Term);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException
                    or System.Net.Sockets.SocketException)
                {
                    // Not answering yet.
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException(
            $"no {system.Name} member other than {excluded ?? "none"} led within {LeaderWait.TotalSeconds}s");
    }
}
