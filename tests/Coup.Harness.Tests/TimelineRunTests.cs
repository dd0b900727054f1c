using System.CommandLine;
using System.Text;
using System.Text.Json;
using Coup.Faults;
using Coup.Faults.Timelines;
using Coup.Harness.Cli;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.History;
using Coup.Reports;

namespace Coup.Harness.Tests;

/// <summary>
/// Scripted timelines through coup run (docs/timelines.md): played, recorded and reproduced exactly.
/// </summary>
public sealed class TimelineRunTests
{
    private const long NsPerS = 1_000_000_000;

    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    [Fact]
    public async Task GivenIsolateTheLeaderAtFiveSecondsForThree_WhenSimulated_ThenTheHistoryRecordsExactlyThat()
    {
        using var store = new TempStore();
        var file = Path.Combine(store.Root, "isolate.yaml");
        await File.WriteAllTextAsync(file, "- {at: 5, fault: partition-isolate:leader, hold: 3}\n");

        var exit = await Coup("run", "--runtime", "sim", "--algorithm", "raft", "--timeline", file,
            "--time-limit", "12", "--seed", "1", "--store", store.Root);

        store.AssertValid(exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var leaderAtFive = history.States.Where(s => s.TimeNs < 5 * NsPerS).GroupBy(s => s.Node)
            .Select(g => g.Last()).Where(s => s.IsLeader).MaxBy(s => s.Term)!.Node;
        Assert.Equal(
            [("start", 5 * NsPerS, leaderAtFive), ("stop", 8 * NsPerS, leaderAtFive)],
            history.Faults.Select(f => (f.Phase, f.TimeNs, Assert.Single(f.Targets))));
        Assert.All(history.Faults, f => Assert.Equal(("partition", 5.0), (f.Kind, f.PlannedS)));
        Assert.Equal("raft-timeline", history.Run.Test);
        Assert.Equal(["partition-isolate:leader"], history.Run.Nemesis);
    }

    [Fact]
    public async Task GivenATimelineRun_WhenItsReproduceLineIsRunWithoutTheFile_ThenTheSameFaultsAreRecorded()
    {
        using var store = new TempStore();
        var file = Path.Combine(store.Root, "mixed.yaml");
        await File.WriteAllTextAsync(file, """
            - parallel:
                - - {fault: "packet-delay=30:all", hold: 20}
                - - {sleep: 2}
                  - mix: {faults: {partition: 2, chase: 1}, interval: 3, for: 15}
            """);
        await Coup("run", "--runtime", "sim", "--timeline", file, "--time-limit", "20", "--seed", "4",
            "--store", store.Root);
        var first = RunHistory.Read(store.LatestFile("history.jsonl"));
        File.Delete(file);

        var line = Report.Reproduce(first.Run);
        var exit = await Coup([.. ShellWords(line).Skip(1), "--store", store.Root]);

        Assert.InRange(exit, 0, 1);
        var again = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Contains("--timeline '[{\"parallel\":", line);
        Assert.DoesNotContain("--nemesis", line);
        Assert.Equal(first.Faults.Select(Json), again.Faults.Select(Json));
        Assert.Equal(["packet", "partition"], first.Faults.Select(f => f.Kind).Distinct().Order());
    }

    [Fact]
    public void GivenATimelinePlan_WhenItsReproduceLineIsParsed_ThenTheSamePlanComesBack()
    {
        var plan = new RunPlan
        {
            Algorithm = "zab-early-claim",
            Timeline = """[{"at":5,"fault":"partition-one-way-in:n1+n3","hold":3,"seed":11}]""",
            TimeLimitS = 20,
            Seed = 5,
            Runtime = RuntimeKind.Sim,
        };
        RunPlan? parsed = null;
        var root = new RootCommand { RunCommand.Create((p, _) => { parsed = p; return Task.FromResult(0); }) };

        Assert.Equal(0, root.Parse([.. ShellWords(plan.Validated().Command).Skip(1)]).Invoke());

        Assert.Equal(JsonSerializer.Serialize(plan), JsonSerializer.Serialize(parsed));
    }

    [Fact]
    public async Task GivenTimelineAndNemesis_WhenRun_ThenItIsAUsageError()
    {
        using var store = new TempStore();

        var exit = await Coup("run", "--runtime", "sim", "--nemesis", "kill", "--timeline",
            """[{"fault":"kill","hold":1}]""", "--store", store.Root);

        Assert.Equal(ExitCodes.Usage, exit);
    }

    [Fact]
    public void GivenTracksWrittenAsYaml_WhenReadBack_ThenTheyCompileToTheSameFaults()
    {
        var choices = "partition-one-way-in:n1+n3,packet-delay=200~50:leader,clock,kill"
            .Split(',').Select(n => FaultChoice.Parse(n, out _)!).ToList();
        IReadOnlyList<PlannedFault> schedule = FaultSchedule.Plan(choices, 120, 7, 3);
        var yaml = TimelineWriter.ToYaml(TimelineWriter.FromTracks([schedule]));

        var document = PlanDocument.Parse("written.yaml", Encoding.UTF8.GetBytes(yaml));
        var (timeline, problems) = TimelineFile.Read(document.Root);

        Assert.Empty(problems);
        var (tracks, problem) = TimelineCompiler.Compile(timeline!, 99, 120);
        Assert.Null(problem);
        Assert.Equal(TimelineWriter.ToCompactJson(TimelineWriter.FromTracks([schedule])),
            TimelineWriter.ToCompactJson(TimelineWriter.FromTracks(tracks)));
    }

    [Fact]
    public void GivenAPlanWithTimelines_WhenRead_ThenTheirCellsCarryThemAndAProblemPointsIntoThePlan()
    {
        using var store = new TempStore();
        File.WriteAllText(Path.Combine(store.Root, "chases.yaml"), "- {fault: chase, hold: 4}\n");
        var path = Path.Combine(store.Root, "plan.yaml");
        var plan = """
            targets: [{name: raft}]
            nemeses:
              - [kill]
              - {timeline: chases.yaml}
              - {name: late, timeline: [{at: 2, fault: kill, hold: 40}]}
            seeds: 1
            time-limit: 20
            """;

        var (read, problems) = PlanReader.Read(PlanDocument.Parse(path, Encoding.UTF8.GetBytes(plan)));
        var (fixedPlan, _) = PlanReader.Read(PlanDocument.Parse(path,
            Encoding.UTF8.GetBytes(plan.Replace("hold: 40", "hold: 4", StringComparison.Ordinal))));

        Assert.NotNull(read);
        var problem = Assert.Single(PlanCells.Expand(read).Problems);
        Assert.Equal("/targets/0", problem.Pointer);
        Assert.Contains("raft/timeline:late/sim/5: --timeline: /0: ends at 42 s, past the run's time limit 20 s",
            problem.Message);
        Assert.Empty(problems);
        var cells = PlanCells.Expand(fixedPlan!).Cells;
        Assert.Equal(["raft/kill/sim/5", "raft/timeline:chases/sim/5", "raft/timeline:late/sim/5"],
            cells.Select(c => c.Id));
        Assert.Equal("""[{"fault":"chase","hold":4}]""", cells[1].RunPlan(fixedPlan!, 1, store.Root).Timeline);
    }

    [Fact]
    public void GivenAPlanWithAWrongTimeline_WhenRead_ThenTheProblemPointsIntoItsStep()
    {
        var plan = "targets: [{name: raft}]\nnemeses: [{timeline: [{fault: kil, hold: 1}]}]\n";

        var (_, problems) = PlanReader.Read(PlanDocument.Parse("p.yaml", Encoding.UTF8.GetBytes(plan)));

        Assert.Equal("p.yaml: /nemeses/0/timeline/0/fault: unknown nemesis 'kil'; use " + FaultChoice.Vocabulary,
            Assert.Single(problems).Line("p.yaml"));
    }

    private static string Json(FaultEvent fault) => JsonSerializer.Serialize(fault, HistoryJson.Options);

    /// <summary>A reproduce line's words as a POSIX shell splits them: spaces, and '...' quoting.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                words.Add(word.ToString());
                word.Clear();
            }
            else
            {
                word.Append(c);
            }
        }
        words.Add(word.ToString());
        return words;
    }
}
