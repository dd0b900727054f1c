using Coup.Harness.Run;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Tests;

/// <summary>
/// <c>coup plan validate</c> refuses each bad plan with the usage code and one line that names the place
/// in the file (a JSON Pointer) and what is wrong; a good plan gets one line of cells and runs.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PlanValidationTests : IDisposable
{
    private const string Targets = "targets: [{name: raft}]\n";
    private const string Nemeses = "nemeses: [[partition]]\n";
    private readonly string _directory = Directory.CreateTempSubdirectory("coup-plan-").FullName;

    public static TheoryData<string, string> BadPlans() => new()
    {
        { "targets: [{name: rafft}]\n" + Nemeses, "/targets/0/name: unknown target 'rafft'; choose one of: "
            + string.Join(", ", Algorithms.Names.Concat(ClusterSystems.Names)) },
        { Nemeses, "missing 'targets'" },
        { Targets + Nemeses + "extra: 1\n", "/extra: unknown key 'extra' (the keys are in plans/plan.schema.json)" },
        { "targets: [{name: raft, nodez: [3]}]\n" + Nemeses,
            "/targets/0/nodez: unknown key 'nodez' (the keys are in plans/plan.schema.json)" },
        { "targets: [{}]\n" + Nemeses, "/targets/0: missing 'name'" },
        { Targets + "nemeses: [partition]\n", "/nemeses/0: must be a map of keys or a list, got 'partition'" },
        { Targets + "nemeses: [[kil]]\n", "/nemeses/0/0: unknown nemesis 'kil'; use a comma-separated list of "
            + "kill,pause,partition,clock,chase,amnesia,packet-loss,packet-delay,packet-dup,packet-reorder,"
            + "clock-strobe, or none" },
        { Targets + "nemeses: [[kill, kill]]\n",
            "/nemeses/0/1: --nemesis 'kill,kill' names kill twice; name each kind once" },
        { Targets + "nemeses: [[kill, pause], [pause, kill]]\n",
            "/nemeses/1: the same set as /nemeses/0; list each set once" },
        { Targets + Nemeses + "nodes: [5, 12]\n", "/nodes/1: --nodes must be from 1 to 9, got 12" },
        { Targets + Nemeses + "nodes: [\"3\"]\n", "/nodes/0: must be a whole number, got '3'" },
        { Targets + Nemeses + "seeds: [1, 1]\n", "/seeds/1: 1 is listed twice; list each once" },
        { Targets + Nemeses + "seeds: many\n", "/seeds: must be a list or a whole number, got 'many'" },
        { Targets + Nemeses + "seeds: [-4]\n", "/seeds/0: --seed must be from 0 to 2147483647, got -4" },
        { Targets + Nemeses + "container-runs: 0\n", "/container-runs: container-runs must be from 1 to 100, got 0" },
        { Targets + Nemeses + "time-limit: 0\n", "/time-limit: --time-limit must be from 0.1 to 86400 s, got 0" },
        { Targets + Nemeses + "rate: fast\n", "/rate: must be a number, got 'fast'" },
        { Targets + Nemeses + "runtimes: [k8s]\n", "/runtimes/0: unknown runtime 'k8s'; choose docker or sim" },
        { "targets: [{name: raft, settings: {heartbeat-ms: 10}}]\n" + Nemeses,
            "/targets/0/settings: --set 'heartbeat-ms=10': an algorithm's settings are election-timeout-ms=150; "
            + "the others are a real system's" },
        { "targets: [{name: raft, settings: {election-timeout-ms: 20}}]\n" + Nemeses,
            "/targets/0/settings: --set election-timeout-ms must be from 100 to 5000 ms, got 20" },
        { "targets: [{name: raft, algorithm: rafft}]\n" + Nemeses,
            "/targets/0/algorithm: unknown algorithm 'rafft'; choose one of: " + string.Join(", ", Algorithms.Names) },
        { "targets: [{name: raft/slow, algorithm: raft}]\n" + Nemeses,
            "/targets/0/name: 'raft/slow' labels cells in their ids: letters, digits, '.', '_' and '-', "
            + "starting with a letter or digit" },
        { "targets: [{name: etcd, algorithm: raft}]\n" + Nemeses + "runtimes: [docker]\n",
            "/targets/0/algorithm: etcd is a real system and runs as itself; 'algorithm' runs an algorithm under "
            + "another target name (e.g. name: raft, algorithm: raft-forgets-vote)" },
        { "targets: [{name: etcd, settings: {bogus: 1}}]\n" + Nemeses + "runtimes: [docker]\n",
            "/targets/0/settings: --set 'bogus=1': etcd settings are "
            + string.Join(", ", ClusterSystems.Find("etcd").Defaults.Select(d => $"{d.Key}={d.Value}")) },
        { "targets: [{name: raft}, {name: zab}, {name: raft}]\n" + Nemeses,
            "/targets/2/name: raft is named twice (also /targets/0); each target once" },
        { Targets + Nemeses + "time-limit: 5\ninterval: 10\n",
            "--interval 10 is longer than --time-limit 5: no fault would start; lower --interval" },
        { Targets + Nemeses + "seeds: 20000\n",
            $"1 cells, 20000 runs: at most {OptionLimits.PlanRunsMax} runs (cells × seeds) per plan; "
            + "lower seeds or split the plan" },
        { "targets: [{name: etcd}]\n" + Nemeses,
            "no cell is left to run; skipped 1 cell: etcd run only in containers (their sim cells)" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public async Task A_bad_plan_is_refused_in_one_line_with_its_path(string yaml, string error)
    {
        var path = Write(yaml);

        var result = await Invocation.Of(["plan", "validate", path]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Equal([$"coup: {path}: {error}"], result.ErrorLines.Select(l => l.TrimEnd('\r')));
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("targets: [{name: raft}]\nnemeses: [[kill]]\nnemeses: [[pause]]\n", ":3:1: Duplicate key nemeses")]
    [InlineData("targets: [{name: raft}]\nnemeses: a: b\n", ":2:")]
    [InlineData("targets: [{name: raft}\nnemeses: [[kill]]\n", ": not valid YAML (")]
    public async Task A_plan_that_is_not_YAML_is_refused_in_one_line_with_its_place_where_the_parser_gives_it(
        string yaml, string error)
    {
        var path = Write(yaml);

        var result = await Invocation.Of(["plan", "validate", path]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.StartsWith($"coup: {path}{error}", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Every_problem_of_a_plan_gets_its_own_line()
    {
        var path = Write("targets: [{name: rafft}]\nnemeses: [[kil]]\nnodes: [0]\n");

        var result = await Invocation.Of(["plan", "validate", path]);

        Assert.Equal(ExitCodes.Usage, result.Exit);
        Assert.Equal(["/nemeses/0/0", "/nodes/0", "/targets/0/name"],
            result.ErrorLines.Select(l => l[$"coup: {path}: ".Length..].Split(':')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_good_plan_prints_its_cells_and_runs_and_each_kind_of_skipped_cell_once()
    {
        var path = Write("targets: [{name: raft}, {name: etcd}]\nnemeses: [[partition], [amnesia], [clock]]\n"
            + "nodes: [3, 5]\nruntimes: [sim, docker]\nseeds: 4\ncontainer-runs: [7, 9]\n");

        var result = await Invocation.Of(["plan", "validate", path]);

        Assert.Equal(ExitCodes.Valid, result.Exit);
        // raft: 3 nemeses x 2 runtimes x 2 sizes, less amnesia at 3 nodes (2); etcd: docker only (6 skipped in
        // the simulator), less amnesia at 3 nodes (1) and clock (2).
        Assert.Equal(
            [
                "13 cells, 36 runs",
                "skipped 6 cells: etcd run only in containers (their sim cells)",
                "skipped 3 cells: amnesia needs at least 5 nodes (cells of 3 nodes)",
                "skipped 2 cells: clock faults are refused for etcd (docs/systems.md says why)",
            ],
            result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData("plans/nightly.yaml")]
    [InlineData("plans/smoke.yaml")]
    public async Task The_shipped_plans_are_valid(string plan)
    {
        var result = await Invocation.Of(["plan", "validate", RepoFiles.PathOf(plan)]);

        Assert.True(result.Exit == ExitCodes.Valid, result.Error);
        Assert.Matches(@"^\d+ cells, \d+ runs$", result.Out.Split('\n')[0].TrimEnd('\r'));
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, $"plan-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
