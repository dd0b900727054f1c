using System.Text.Json.Nodes;
using Coup.Faults.Timelines;

namespace Coup.Faults.Tests;

/// <summary>Timelines (docs/timelines.md): read with pointers, compiled purely, written back exactly.</summary>
public sealed class TimelineTests
{
    private static Timeline Read(string json)
    {
        var (timeline, problems) = TimelineReader.Read(JsonNode.Parse(json));
        Assert.True(timeline is not null, string.Join("; ", problems.Select(p => p.Line("t"))));
        return timeline;
    }

    private static IReadOnlyList<TimelineProblem> Problems(string json) =>
        TimelineReader.Read(JsonNode.Parse(json)).Problems;

    private static IReadOnlyList<IReadOnlyList<PlannedFault>> Compile(string json, int seed = 1, double limitS = 60)
    {
        var (tracks, problem) = TimelineCompiler.Compile(Read(json), seed, limitS);
        Assert.True(problem is null, problem?.Line("t"));
        return tracks;
    }

    private static TimelineProblem? CompileProblem(string json, double limitS = 60) =>
        TimelineCompiler.Compile(Read(json), 1, limitS).Problem;

    [Theory]
    [InlineData("""[{"fault":"kil","hold":3}]""", "/0/fault", "unknown nemesis 'kil'")]
    [InlineData("""[{"fault":"kill","hold":-1}]""", "/0/hold", "must be from 0.01 to 86400 s, got -1")]
    [InlineData("""[{"fault":"kill","hold":3,"for":2}]""", "/0/for", "unknown key 'for'")]
    [InlineData("""[{"fault":"kill"}]""", "/0", "missing 'hold'")]
    [InlineData("""[{"fault":"clock","hold":3}]""", "/0", "a clock fault says its change")]
    [InlineData("""[{"fault":"kill","hold":3,"target":"random-halves"}]""", "/0/target",
        "kill takes target random-node or leader")]
    [InlineData("""[{"repeat":1001,"steps":[{"sleep":1}]}]""", "/0/repeat", "must be from 1 to 1000")]
    [InlineData("""[{"repeat":2.5,"steps":[{"sleep":1}]}]""", "/0/repeat", "must be a whole number")]
    [InlineData("""[{"parallel":[[{"sleep":1}]]}]""", "/0/parallel", "must be a list of 2 to 8 tracks")]
    [InlineData("""[{"mix":{"faults":{"kill":0},"interval":2,"for":4}}]""", "/0/mix/faults/kill", "must be from")]
    [InlineData("""[{"mix":{"faults":{"kill":1},"interval":2,"for":4,"hold":3}}]""", "/0/mix/hold",
        "at most its interval")]
    [InlineData("""[{"sleep":1,"fault":"kill"}]""", "/0", "not fault and sleep")]
    [InlineData("""[{"parallel":[[{"sleep":1}],[{"fault":"packet-loss=300","hold":1}]]}]""",
        "/0/parallel/1/0/fault", "packet-loss=300")]
    public void GivenAWrongStep_WhenTheTimelineIsRead_ThenTheProblemSaysWhereAndWhy(
        string json, string pointer, string message)
    {
        var problem = Assert.Single(Problems(json));

        Assert.Equal(pointer, problem.Pointer);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void GivenAFaultPastTheTimeLimit_WhenItIsCompiled_ThenItIsRefusedInOneLine()
    {
        var problem = CompileProblem(
            """[{"sleep":5},{"repeat":3,"steps":[{"fault":"kill","hold":10}]}]""", limitS: 30);

        Assert.Equal("/1/steps/0", problem?.Pointer);
        Assert.Equal("ends at 35 s, past the run's time limit 30 s; shorten the timeline or raise --time-limit",
            problem?.Message);
    }

    [Fact]
    public void GivenAFaultThatStartsBeforeTheOneBeforeEnds_WhenItIsCompiled_ThenItIsRefused()
    {
        var problem = CompileProblem("""[{"at":5,"fault":"kill","hold":3},{"at":7,"fault":"pause","hold":1}]""");

        Assert.Equal("/1", problem?.Pointer);
        Assert.StartsWith("starts at 7 s, before the step before it ends (8 s)", problem?.Message);
    }

    [Fact]
    public void GivenMoreFaultsThanTheBound_WhenItIsCompiled_ThenItIsRefused()
    {
        var problem = CompileProblem(
            """[{"repeat":1000,"steps":[{"repeat":11,"steps":[{"fault":"kill","hold":0.01}]}]}]""", limitS: 86_400);

        Assert.Contains("more than 10000 faults", problem?.Message);
    }

    [Fact]
    public void GivenIsolateTheLeaderAtFiveSecondsForThree_WhenItIsCompiled_ThenOneFaultIsPlannedExactlySo()
    {
        var fault = Assert.Single(Assert.Single(
            Compile("""[{"at":5,"fault":"partition-isolate:leader","hold":3,"seed":7}]""")));

        Assert.Equal((5.0, 3.0, FaultKind.Partition, 7), (fault.StartS, fault.HoldS, fault.Kind, fault.ChoiceSeed));
        Assert.Equal("partition-isolate:leader", fault.Partition?.ToString());
        Assert.Equal(TargetChoice.IsolateLeader, fault.Target);
    }

    [Fact]
    public void GivenRepeatsSleepsAndRelativeTimes_WhenCompiled_ThenEachStepStartsWhereItsSequenceSays()
    {
        var faults = Assert.Single(Compile(
            """[{"sleep":2},{"repeat":2,"steps":[{"at":1,"fault":"kill","hold":2},{"fault":"pause","hold":1}]}]"""));

        Assert.Equal([(3.0, "kill"), (5.0, "pause"), (7.0, "kill"), (9.0, "pause")],
            faults.Select(f => (f.StartS, f.Kind.Name())));
    }

    private const string Mixed =
        """[{"mix":{"faults":{"partition":2,"kill":1,"clock":1},"interval":2,"for":40}},{"fault":"pause","hold":3}]""";

    [Fact]
    public void GivenTheSameSeed_WhenATimelineIsCompiledTwice_ThenTheTracksAreTheSame()
    {
        var first = TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(Compile(Mixed, seed: 9)));
        var again = TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(Compile(Mixed, seed: 9)));
        var other = TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(Compile(Mixed, seed: 10)));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void GivenAMixWithWeights_WhenItDrawsManyFaults_ThenEachKindComesAboutAsOftenAsItsWeightSays()
    {
        var faults = Assert.Single(Compile(
            """[{"mix":{"faults":{"partition":3,"kill":1},"interval":1,"for":8000}}]""", limitS: 8000));

        var partitions = faults.Count(f => f.Kind == FaultKind.Partition);
        Assert.Equal(8000, faults.Count);
        // 6000 expected; the binomial's standard deviation is about 39.
        Assert.InRange(partitions, 6000 - 200, 6000 + 200);
        Assert.All(faults, f => Assert.Equal(0.5, f.HoldS));
    }

    [Fact]
    public void GivenParallelTracks_WhenCompiled_ThenEachTrackIsSequentialAndTheNextStepWaitsForAll()
    {
        var tracks = Compile("""
            [{"parallel":[[{"fault":"packet-delay=300:all","hold":20}],
                          [{"sleep":2},{"repeat":3,"steps":[{"fault":"chase","hold":4},{"sleep":1}]}]]},
             {"fault":"pause","hold":2}]
            """);

        Assert.Equal(2, tracks.Count);
        Assert.Equal([(0.0, FaultKind.Packet), (20.0, FaultKind.Pause)], tracks[0].Select(f => (f.StartS, f.Kind)));
        Assert.Equal([2.0, 7.0, 12.0], tracks[1].Select(f => f.StartS));
    }

    [Fact]
    public void GivenParallelsOneAfterAnother_WhenCompiled_ThenTheyReuseTheSameTracks()
    {
        var tracks = Compile("""
            [{"parallel":[[{"fault":"packet-loss","hold":5}],[{"fault":"chase","hold":5}]]},
             {"parallel":[[{"fault":"packet-dup","hold":5}],[{"fault":"partition","hold":5}]]}]
            """);

        Assert.Equal(2, tracks.Count);
        Assert.Equal([FaultKind.Chase, FaultKind.Partition], tracks[1].Select(f => f.Kind));
    }

    [Theory]
    [InlineData("chase", "partition-ring", "both cut links")]
    [InlineData("packet-loss", "packet-delay", "both shape packets")]
    [InlineData("clock-strobe", "clock-strobe:one", "both change clocks")]
    [InlineData("kill", "pause", "both kill or pause nodes")]
    [InlineData("packet-delay", "kill", "a kill beside cuts, packet shaping or clock changes")]
    [InlineData("amnesia", "packet-loss", "a kill beside cuts")]
    [InlineData("pause", "clock-strobe", "a pause beside packet shaping or clock changes")]
    public void GivenTwoTracksThatTouchTheSameMechanism_WhenCompiled_ThenTheyAreRefusedWithTheReason(
        string one, string other, string reason)
    {
        var problem = CompileProblem(
            $$"""[{"parallel":[[{"fault":"{{one}}","hold":5}],[{"sleep":10},{"fault":"{{other}}","hold":5}]]}]""");

        Assert.Equal("/0/parallel/1/1", problem?.Pointer);
        Assert.StartsWith("runs beside /0/parallel/0/0 on another track, refused: ", problem?.Message);
        Assert.Contains(reason, problem?.Message);
    }

    [Theory]
    [InlineData("packet-delay=300:all", "chase")]
    [InlineData("pause", "partition-isolate:leader")]
    [InlineData("clock", "partition")]
    public void GivenTwoTracksOfDifferentMechanisms_WhenCompiled_ThenTheyRunAtOnce(string one, string other)
    {
        var clock = one == "clock" ? ""","clock":{"offset":2}""" : "";

        var tracks = Compile(
            $$"""[{"parallel":[[{"fault":"{{one}}","hold":5{{clock}}}],[{"fault":"{{other}}","hold":5}]]}]""");

        Assert.Equal(2, tracks.Count);
    }

    [Theory]
    [InlineData("pause", "partition", true)]
    [InlineData("partition", "pause", true)]
    [InlineData("partition", "clock-strobe", false)]
    public void GivenTwoTracks_WhenAskedWhetherOnePausesUnderTheOthersCuts_ThenOnlyAPauseBesideACutDoes(
        string one, string other, bool pausesUnderCuts)
    {
        var tracks = Compile($$"""[{"parallel":[[{"fault":"{{one}}","hold":5}],[{"fault":"{{other}}","hold":5}]]}]""");

        Assert.Equal(pausesUnderCuts, TrackMechanisms.PausesUnderCuts(tracks));
    }

    public static TheoryData<string, int> Schedules => new()
    {
        { "kill,pause,partition,clock,chase,amnesia", 1 },
        { "partition-one-way-in:n1+n3,packet-delay=200~50:leader,clock-strobe=300ms/2000ms:minority", 2 },
        { "partition-ring,packet-loss,packet-reorder=40:one,clock,partition-isolate:majority", 3 },
    };

    /// <summary>
    /// What shrink needs: any schedule the nemesis plays, written out and read back, is the same schedule.
    /// </summary>
    [Theory]
    [MemberData(nameof(Schedules))]
    public void GivenASeededSchedule_WhenWrittenAsATimelineAndCompiledBack_ThenEveryFaultIsTheSame(
        string nemesis, int seed)
    {
        var choices = nemesis.Split(',').Select(n => FaultChoice.Parse(n, out _)!).ToList();
        IReadOnlyList<PlannedFault> schedule = FaultSchedule.Plan(choices, 300, 7, seed);
        var written = TimelineWriter.ToCompactJson(TimelineWriter.FromTracks([schedule]));

        var back = Assert.Single(Compile(written, seed: seed + 1, limitS: 300));

        Assert.Equal(schedule.Select(Fields), back.Select(Fields));
        Assert.Equal(written, TimelineWriter.ToCompactJson(TimelineWriter.FromTracks([back])));
    }

    [Fact]
    public void GivenTracksOfATimeline_WhenWrittenOutAndCompiledBack_ThenEveryTrackIsTheSame()
    {
        var tracks = Compile("""
            [{"parallel":[[{"fault":"packet-delay=300:all","hold":30}],
                          [{"sleep":3},{"mix":{"faults":{"chase":1,"partition":1},"interval":3,"for":24}}]]}]
            """, seed: 4);

        var back = Compile(TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(tracks)), seed: 5);

        Assert.Equal(tracks.Select(t => t.Select(Fields)), back.Select(t => t.Select(Fields)));
    }

    /// <summary>Every field, specs by their names: records compare their lists by reference.</summary>
    private static string Fields(PlannedFault f) =>
        $"{f.StartS:R} {f.HoldS:R} {f.Kind} {f.Target} {f.ChoiceSeed} {f.Clock} {f.Clock?.OffsetS:R} " +
        $"{f.Clock?.Rate:R} " +
        $"{f.Strobe} {f.Partition} {f.Packet} {f.Packet?.Shape}";
}
