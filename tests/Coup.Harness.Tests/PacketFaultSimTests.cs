using Coup.Harness.Cli;
using Coup.History;

namespace Coup.Harness.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class PacketFaultSimTests
{
    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Given_raft_under_every_packet_fault_When_simulated_Then_it_is_valid_and_each_recorded_with_links(
        int seed)
    {
        using var store = new TempStore();

        var exit = await Coup("run", "--runtime", "sim", "--nodes", "3", "--nemesis",
            "packet-loss=30:all,packet-delay=150~30:leader,packet-dup,packet-reorder:one",
            "--time-limit", "30", "--interval", "4", "--seed", $"{seed}", "--store", store.Root);

        Assert.Equal(0, exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        var starts = history.Faults.Where(f => f.Phase == "start").ToList();
        Assert.All(starts, f => Assert.Equal(FaultKinds.Packet, f.Kind));
        var shapes = starts.Select(f => (f.LossPercent, f.DelayMs, f.DuplicatePercent, f.ReorderPercent));
        Assert.Equal(4, shapes.Distinct().Count());
        Assert.Equal(starts.Count, history.Faults.Count(f => f.Phase == "stop"));
        var loss = starts.First(f => f.LossPercent == 30);
        Assert.Equal(6, loss.Links!.Count);
        Assert.Equal("loss 30% on all links", loss.Detail);
        var delay = starts.First(f => f.DelayMs == 150);
        Assert.Equal((30, 4), (delay.JitterMs!.Value, delay.Links!.Count));
        Assert.All(delay.Links, l => Assert.Contains(delay.Targets[0], l.Split("->")));
    }

    [Theory]
    [InlineData("packet-loss=100", "packet-loss=100: loss must be 0-99 %, got 100")]
    [InlineData("packet", "unknown nemesis 'packet'")]
    [InlineData("packet-delay=5:n7", "--nemesis names the nodes n7, which must be some of n1,n2,n3")]
    public async Task Given_a_bad_packet_fault_When_run_is_invoked_Then_one_line_says_why(
        string nemesis, string problem)
    {
        using var store = new TempStore();

        var run = await Invocation.Of(["run", "--runtime", "sim", "--nodes", "3", "--nemesis", nemesis, "--seed", "1",
            "--store", store.Root]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains(problem, Assert.Single(run.ErrorLines));
    }
}
