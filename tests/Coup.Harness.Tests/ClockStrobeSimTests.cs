using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.History;
using Coup.Simulation;

namespace Coup.Harness.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ClockStrobeSimTests
{
    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    [Fact]
    public async Task Given_raft_under_a_clock_strobe_When_simulated_Then_it_is_valid_and_each_strobe_is_one_fault()
    {
        using var store = new TempStore();

        var exit = await Coup("run", "--algorithm", "raft", "--runtime", "sim", "--nemesis", "clock-strobe",
            "--time-limit", "30", "--seed", "1", "--store", store.Root);

        Assert.Equal(0, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var starts = history.Faults.Where(f => f.Phase == "start").ToList();
        var stops = history.Faults.Where(f => f.Phase == "stop").ToList();
        Assert.NotEmpty(starts);
        Assert.Equal(starts.Count, stops.Count);
        Assert.All(history.Faults, f => Assert.Equal("clock", f.Kind));
        Assert.All(starts, f => Assert.StartsWith("strobe +200 ms every 1000 ms on leader ", f.Detail));
        // Held about five seconds (half the 10 s interval, with jitter): a step each second.
        Assert.All(stops, f => Assert.Matches(@"; [4-7] steps$", f.Detail));
    }

    [Fact]
    public async Task Given_a_strobe_on_n2_When_simulated_Then_n2s_clock_alternates_ahead_and_true_and_ends_true()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-strobe-{Guid.NewGuid():n}.jsonl");
        try
        {
            var cluster = new SimulatedCluster("raft", 3, seed: 1);
            using var recorder = new Recorder(new HistoryWriter(path), () => cluster.NowNs);
            IFaultMechanisms faults = new SimulatedFaults(cluster, recorder);
            var strobe = ClockStrobe.Parse("clock-strobe=300ms/1000ms:n2", out _)!;
            var fault = new PlannedFault
            {
                StartS = 1,
                HoldS = 4.5,
                Kind = FaultKind.Clock,
                Target = TargetChoice.Leader,
                ChoiceSeed = 5,
                Strobe = strobe,
                Clock = strobe.Forward,
            };
            var nemesis = new Nemesis([fault], cluster.Names);
            cluster.Start();
            var skewsMs = new List<long>();

            while (nemesis.DueNs is { } dueNs)
            {
                cluster.RunUntil(Math.Max(cluster.NowNs, dueNs));
                while (nemesis.Step(cluster.NowNs, []) is { Count: > 0 } actions)
                {
                    foreach (var action in actions)
                    {
                        if (action is ApplyFault apply)
                        {
                            await faults.ApplyAsync(apply.Part, CancellationToken.None);
                        }
                        else if (action is StepClock step)
                        {
                            await faults.StepClockAsync(step, CancellationToken.None);
                        }
                        else if (action is HealFault heal)
                        {
                            await faults.HealAsync(heal.Part, CancellationToken.None);
                            nemesis.Healed(heal.Part);
                        }
                    }
                }
                // Half a period on: what the clock shows between steps.
                cluster.RunFor(TimeSpan.FromMilliseconds(500));
                skewsMs.Add(cluster.NodeWallMs("n2") - cluster.NowNs / 1_000_000);
            }

            Assert.Equal([300, 0, 300, 0, 300, 0], skewsMs);
            Assert.Equal(0, cluster.NodeWallMs("n1") - cluster.NowNs / 1_000_000);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
