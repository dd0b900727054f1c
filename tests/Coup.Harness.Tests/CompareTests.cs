using Coup.Faults;
using Coup.Harness.Compare;
using Coup.Nodes;

namespace Coup.Harness.Tests;

public sealed class CompareTests
{
    [Fact]
    public void Given_bully_and_raft_under_partitions_When_compared_Then_bully_fails_every_run_and_raft_none()
    {
        var scratch = Directory.CreateTempSubdirectory("coup-compare-test-").FullName;

        var bully = AlgorithmComparison.Simulate(
            Algorithms.Get("bully"), [FaultKind.Partition], seeds: 3, timeLimitS: 40, intervalS: 10, scratch);
        var raft = AlgorithmComparison.Simulate(
            Algorithms.Get("raft"), [FaultKind.Partition], seeds: 3, timeLimitS: 40, intervalS: 10, scratch);

        Assert.Equal((3, 3), (bully.Runs, bully.Invalid));
        // Valid in every run: not merely never invalid, which runs that proved nothing would also be.
        Assert.Equal((3, 0, 0, 0), (raft.Runs, raft.Invalid, raft.Unknown, raft.SafetyViolations));
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task Given_some_algorithms_named_When_compared_Then_the_table_says_which_and_its_command_repeats_it()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("coup-compare-test-").FullName, "table.md");

        var exit = await Cli.CoupCli.InvokeAsync(
            ["compare", "--seeds", "1", "--nemesis", "amnesia", "--time-limit", "10",
                "--algorithms", "raft,raft-forgets-vote", "--output", output],
            CancellationToken.None);

        Assert.Equal(0, exit);
        var table = await File.ReadAllTextAsync(output);
        Assert.Contains(
            "`coup compare --seeds 1 --nemesis amnesia --time-limit 10 --interval 10 --docker-runs 0 "
                + "--algorithms raft,raft-forgets-vote`: the algorithms named",
            table);
        Assert.Equal(2, table.Split('\n').Count(line => line.StartsWith("| raft", StringComparison.Ordinal)));
        Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
    }

    [Fact]
    public void Given_a_killed_raft_leader_When_the_election_is_measured_Then_it_takes_a_vote_round_trip()
    {
        // RequestVote out, VoteResponse back: the new leader's claim is two hops after the kill.
        var cost = ElectionCosts.Measure("raft", nodes: 5, seed: 1);

        Assert.NotNull(cost);
        Assert.Equal(2, cost.Rounds);
        Assert.InRange(cost.LatencyMs, 150, 1000);
    }
}
