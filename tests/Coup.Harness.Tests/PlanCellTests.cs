using Coup.Harness.Plans;

namespace Coup.Harness.Tests;

/// <summary>A plan's cells: ids stable across runs and machines, and shards that split them exactly.</summary>
public sealed class PlanCellTests
{
    private static PlanExpansion Expand(string path)
    {
        var (plan, problems) = PlanReader.Read(PlanDocument.Load(path));
        Assert.Empty(problems);
        return PlanCells.Expand(plan!);
    }

    private static PlanExpansion ExpandText(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-cells-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            return Expand(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Cells_are_ordered_by_id_and_expand_the_same_every_time()
    {
        var nightly = RepoFiles.PathOf("plans/nightly.yaml");

        var first = Expand(nightly).Cells.Select(c => c.Id).ToList();
        var second = Expand(nightly).Cells.Select(c => c.Id).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Order(StringComparer.Ordinal), first);
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public void A_cell_id_is_target_nemesis_kinds_runtime_and_nodes_whatever_the_order_of_the_plan()
    {
        var one = ExpandText("targets: [{name: raft}, {name: zab}]\nnemeses: [[partition, kill], []]\n"
            + "nodes: [3, 5]\nruntimes: [sim, docker]\n");
        var other = ExpandText("runtimes: [docker, sim]\nnodes: [5, 3]\nnemeses: [[], [partition, kill]]\n"
            + "targets: [{name: zab}, {name: raft}]\n");

        Assert.Equal(one.Cells.Select(c => c.Id), other.Cells.Select(c => c.Id));
        Assert.Contains("raft/partition+kill/sim/5", one.Cells.Select(c => c.Id));
        Assert.Contains("zab/none/docker/3", one.Cells.Select(c => c.Id));
        Assert.Equal(16, one.Cells.Count);
    }

    [Fact]
    public void A_target_given_an_algorithm_keeps_its_cell_id_and_runs_and_reproduces_that_algorithm()
    {
        var path = Path.Combine(Path.GetTempPath(), $"coup-cells-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "targets:\n  - name: raft\n    algorithm: raft-forgets-vote\n"
            + "    settings: {election-timeout-ms: 600}\nnemeses: [[kill]]\nseeds: [4]\n");
        var (plan, problems) = PlanReader.Read(PlanDocument.Load(path));
        File.Delete(path);

        Assert.Empty(problems);
        var cell = Assert.Single(PlanCells.Expand(plan!).Cells);
        var run = cell.RunPlan(plan!, 4, "store");
        Assert.Equal("raft/kill/sim/5", cell.Id);
        var timing = run.AlgorithmSettings.Cluster;
        Assert.Equal(("raft-forgets-vote", 600, 1200),
            (run.Algorithm, timing.ElectionTimeoutMsMin, timing.ElectionTimeoutMsMax));
        Assert.StartsWith(
            "./coup run --algorithm raft-forgets-vote --set election-timeout-ms=600 --nodes 5 --nemesis kill",
            run.Command);
    }

    [Fact]
    public void Sim_cells_take_the_seeds_and_docker_cells_the_container_runs()
    {
        var expansion = ExpandText("targets: [{name: raft}]\nnemeses: [[kill]]\nruntimes: [sim, docker]\n"
            + "seeds: 3\ncontainer-runs: [11, 12]\n");

        Assert.Equal([1, 2, 3], expansion.Find("raft/kill/sim/5")!.Seeds);
        Assert.Equal([11, 12], expansion.Find("raft/kill/docker/5")!.Seeds);
        Assert.Equal(5, expansion.Runs);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_shards_of_a_split_hold_every_cell_exactly_once(int count)
    {
        var cells = Expand(RepoFiles.PathOf("plans/nightly.yaml")).Cells;

        var dealt = Enumerable.Range(1, count).SelectMany(i => new Shard(i, count).Select(cells)).ToList();

        static IEnumerable<string> Ids(IEnumerable<PlanCell> cells) =>
            cells.Select(c => c.Id).Order(StringComparer.Ordinal);
        Assert.Equal(Ids(cells), Ids(dealt));
        var sizes = Enumerable.Range(1, count).Select(i => new Shard(i, count).Select(cells).Count).ToList();
        Assert.True(sizes.Max() - sizes.Min() <= 1, $"shard sizes {string.Join(",", sizes)}");
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    public void A_shard_that_is_not_i_of_n_is_refused(string text)
    {
        Assert.Null(Shard.Parse(text, out var problem));
        Assert.Equal($"--shard must be i/n with 1 <= i <= n <= {Shard.CountMax}, e.g. 2/4, got '{text}'", problem);
    }
}
