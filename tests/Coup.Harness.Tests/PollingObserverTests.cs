using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Coup.Harness.Docker;
using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.History;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// The observer of real systems, without Docker: members that answer from a script. What
/// SystemTests checks on etcd and ZooKeeper (every member polled, every answer with its lag),
/// checked here where a member can be made to fall silent on cue.
/// </summary>
public sealed class PollingObserverTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("coup-polling-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>n1 leads term 2; n2 follows it; n3 does not answer until <see cref="Answering"/> is set.</summary>
    private sealed class ScriptedSystem : ClusterSystem
    {
        public volatile bool Answering;
        public override string Name => "scripted";
        public override string Description => "members that answer from a script";
        public override string Safety => "none";
        public override string Dockerfile => "";
        public override IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>();
        public override string? ClockRefusal => null;

        public override IReadOnlyList<string> Command(
            Member self, IReadOnlyList<Member> members, SystemSettings settings) =>
            throw new NotSupportedException("never started");

        public override ISystemClient Connect(SystemContext context, int process) =>
            throw new NotSupportedException("no clients");

        public override Task<NodeStatus> ProbeAsync(
            Member member, SystemContext context, CancellationToken cancellation) =>
            member.Node switch
            {
                "n1" => Task.FromResult(new NodeStatus { Role = Role.Leader, Term = 2, Leader = 1 }),
                "n3" when !Answering => Task.FromException<NodeStatus>(new IOException("connection refused")),
                _ => Task.FromResult(new NodeStatus { Role = Role.Follower, Term = 2, Leader = 1 }),
            };
    }

    [Fact]
    public async Task Given_a_member_silent_at_first_When_polled_Then_each_answer_is_recorded_once_with_its_lag()
    {
        var system = new ScriptedSystem();
        // Addresses that nothing is sent to: the script answers in their place.
        var members = NodeNames.ForCount(3).Select(n => new Member(n, IPAddress.Loopback)).ToList();
        var context = new SystemContext(members, SystemSettings.From(system, []));
        var path = Path.Combine(_directory, "history.jsonl");
        using (var recorder = new Recorder(new HistoryWriter(path), Recorder.MonotonicSince(Stopwatch.StartNew())))
        {
            var observer = new PollingObserver(system, context, recorder, Period);
            using var stop = new CancellationTokenSource();
            var running = observer.RunAsync(stop.Token);
            await Task.Delay(Period * 10);
            system.Answering = true;
            await Task.Delay(Period * 10);
            await stop.CancelAsync();
            await running;
        }

        var events = File.ReadLines(path)
            .Select(line => JsonSerializer.Deserialize<HistoryEvent>(line, HistoryJson.Options)!).ToList();
        var states = events.OfType<StateObserved>().ToList();
        // One state per member: an unchanged answer is not recorded again.
        Assert.Equal(["n1", "n2", "n3"], states.Select(s => s.Node).Order());
        Assert.All(states, s => Assert.Equal("poll", s.Source));
        Assert.All(states, s => Assert.True(s.LagNs > 0, $"{s.Node}: lag {s.LagNs}"));
        Assert.Single(states, s => s.IsLeader && (s.Node, s.Term, s.Leader) == ("n1", 2, "n1"));
        // n3's silence is recorded, then its first answer after it.
        var n3 = events.Where(e => e is ObserverEvent { Node: "n3" } or StateObserved { Node: "n3" }).ToList();
        Assert.Equal(3, n3.Count);
        Assert.Equal(("down", "up"), (((ObserverEvent)n3[0]).Phase, ((ObserverEvent)n3[1]).Phase));
        Assert.IsType<StateObserved>(n3[2]);
    }
}
