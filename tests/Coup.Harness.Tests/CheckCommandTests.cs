using System.Text.Json.Nodes;
using Coup.Harness.Cli;

namespace Coup.Harness.Tests;

public sealed class CheckCommandTests
{
    private static Task<int> Coup(params string[] args) => CoupCli.InvokeAsync(args, CancellationToken.None);

    private static async Task<TempStore> SavedRaftRun()
    {
        var store = new TempStore();
        var exit = await Coup("run", "--runtime", "sim", "--algorithm", "raft", "--nemesis", "kill", "--time-limit",
            "30", "--seed", "2", "--store", store.Root);
        Assert.Equal(0, exit);
        return store;
    }

    [Fact]
    public async Task Given_a_saved_valid_run_When_it_is_checked_again_Then_it_is_valid()
    {
        using var store = await SavedRaftRun();

        Assert.Equal(0, await Coup("check", store.Latest));
    }

    [Fact]
    public async Task Given_a_history_edited_so_two_nodes_claim_the_same_term_When_checked_Then_it_is_invalid()
    {
        using var store = await SavedRaftRun();
        var path = store.LatestFile("history.jsonl");
        var lines = File.ReadAllLines(path).ToList();
        var index = lines.FindIndex(l => l.Contains("\"role\":\"leader\"", StringComparison.Ordinal));
        var claim = JsonNode.Parse(lines[index])!;
        var other = claim["node"]!.GetValue<string>() == "n1" ? "n2" : "n1";
        var forged = claim.DeepClone();
        forged["node"] = other;
        forged["leader"] = other;
        lines.Insert(index + 1, forged.ToJsonString());
        File.WriteAllLines(path, lines);

        Assert.Equal(1, await Coup("check", store.Latest));
    }

    [Fact]
    public async Task Given_a_truncated_history_When_checked_Then_it_is_unknown()
    {
        using var store = await SavedRaftRun();
        var path = store.LatestFile("history.jsonl");
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Take(lines.Length / 2));

        Assert.Equal(2, await Coup("check", store.Latest));
    }

    [Fact]
    public async Task Given_a_malformed_history_When_checked_Then_it_is_unknown()
    {
        using var store = await SavedRaftRun();
        var path = store.LatestFile("history.jsonl");
        var lines = File.ReadAllLines(path).ToList();
        lines[3] = "{\"type\":\"state\",\"time\":";
        File.WriteAllLines(path, lines);

        Assert.Equal(2, await Coup("check", store.Latest));
    }

    [Fact]
    public async Task Given_a_directory_that_does_not_exist_When_checked_Then_it_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, await Coup("check", "/nonexistent/run"));
    }
}
