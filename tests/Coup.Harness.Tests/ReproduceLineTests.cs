using System.CommandLine;
using System.Text.Json;
using Coup.Faults;
using Coup.Harness.Cli;
using Coup.Harness.Run;

namespace Coup.Harness.Tests;

/// <summary>
/// The reproduce line, built from the run's run-start in one place, reruns the same plan: parsed by
/// the CLI's own parser it gives back the plan it came from, with every option moved off its default.
/// </summary>
public sealed class ReproduceLineTests
{
    public static TheoryData<RunPlan> ChangedPlans => new()
    {
        new RunPlan
        {
            Algorithm = "zab",
            Nodes = 7,
            TimeLimitS = 12.5,
            Nemesis = [FaultKind.Kill, FaultKind.Partition],
            IntervalS = 3.5,
            Seed = 4242,
            Runtime = RuntimeKind.Sim,
            Clients = 2,
            WriteRateHz = 2.5,
            QuietS = 1.5,
        },
        new RunPlan
        {
            Algorithm = "raft-forgets-vote",
            Settings = ["election-timeout-ms=600"],
            Nemesis = [FaultKind.Kill],
            Seed = 3,
            Runtime = RuntimeKind.Sim,
        },
        new RunPlan
        {
            Algorithm = "raft",
            System = "etcd",
            Settings = ["election-timeout-ms=400", "pre-vote=true"],
            ObservePeriodMs = 120,
            Nodes = 5,
            TimeLimitS = 30,
            Nemesis = [FaultKind.Pause],
            IntervalS = 6,
            Seed = 7,
            Runtime = RuntimeKind.Docker,
            Clients = 4,
            WriteRateHz = 0.5,
            QuietS = 0,
        },
    };

    [Theory]
    [MemberData(nameof(ChangedPlans))]
    public async Task GivenAPlanWithEveryOptionChanged_WhenItsReproduceLineIsParsed_ThenTheSamePlanComesBack(
        RunPlan plan)
    {
        RunPlan? parsed = null;
        var root = new RootCommand
        {
            RunCommand.Create((p, _) =>
            {
                parsed = p;
                return Task.FromResult(0);
            }),
        };
        var words = plan.Validated().Command.Split(' ');

        Assert.Equal(["./coup", "run"], words[..2]);
        Assert.Equal(0, await root.Parse(words[1..]).InvokeAsync());
        Assert.NotNull(parsed);
        // As JSON: records compare their lists by reference, the plans must agree on the content.
        Assert.Equal(JsonSerializer.Serialize(plan), JsonSerializer.Serialize(parsed));
    }

    [Fact]
    public void GivenAKafkaRun_WhenItStarts_ThenTheRunStartSaysHowItsLeaderEpochsAreFormed()
    {
        var kafka = Events.Started(new RunPlan { Algorithm = "kafka", Seed = 1 }, DateTimeOffset.UnixEpoch);
        var raft = Events.Started(new RunPlan { Algorithm = "raft", Seed = 1 }, DateTimeOffset.UnixEpoch);

        Assert.Contains("controller term x 1,000,000 + the controller's appointment count", kafka.TermsFormed);
        Assert.Null(raft.TermsFormed);
    }
}
