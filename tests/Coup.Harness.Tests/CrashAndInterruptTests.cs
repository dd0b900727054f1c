using System.CommandLine;
using Coup.History;

namespace Coup.Harness.Tests;

/// <summary>
/// A crash of Coup exits 70 with one line naming its log, never 1 ("invalid"); Ctrl-C (a
/// cancelled token) exits 130 in every phase and keeps the history.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CrashAndInterruptTests
{
    /// <summary>A stdout that fails once the verdict is printed, as a closed pipe would.</summary>
    private sealed class FailingAtVerdict : StringWriter
    {
        public override void WriteLine(string? value)
        {
            if (value?.StartsWith("verdict:", StringComparison.Ordinal) == true)
            {
                throw new IOException("stdout is gone");
            }
            base.WriteLine(value);
        }
    }

    private static string[] SimRun(TempStore store, params string[] more) =>
        ["run", "--runtime", "sim", "--algorithm", "raft", "--seed", "1", "--store", store.Root, .. more];

    private static void AssertCrashLine(Invocation result, string log)
    {
        Assert.Equal(ExitCodes.Crash, result.Exit);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal($"coup: crashed, a bug in Coup and not a verdict: stdout is gone; stack trace in {log}", line);
        var trace = File.ReadAllText(log);
        Assert.Contains("System.IO.IOException: stdout is gone", trace, StringComparison.Ordinal);
        Assert.Contains("   at ", trace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_run_whose_stdout_fails_at_the_verdict_When_run_Then_it_exits_70_with_the_trace_in_it()
    {
        using var store = new TempStore();

        var result = await Invocation.Of(SimRun(store, "--time-limit", "5"), output: new FailingAtVerdict());

        var runDirectory = new DirectoryInfo(store.Latest).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        AssertCrashLine(result, Path.Combine(runDirectory, "crash.log"));
        Assert.Equal("time-limit", RunHistory.Read(store.LatestFile("history.jsonl")).End?.Reason);
    }

    [Fact]
    public async Task Given_a_check_whose_stdout_fails_at_the_verdict_When_run_Then_it_exits_70_with_the_trace_in_it()
    {
        using var store = new TempStore();
        Assert.Equal(0, (await Invocation.Of(SimRun(store, "--time-limit", "5"))).Exit);

        var result = await Invocation.Of(["check", store.Latest], output: new FailingAtVerdict());

        AssertCrashLine(result, Path.Combine(store.Latest, "crash.log"));
    }

    [Fact]
    public async Task Given_a_command_throwing_before_any_run_When_invoked_Then_it_exits_70_with_the_trace_in_crashes()
    {
        using var store = new TempStore();
        var root = Cli.CoupCli.Create();
        var storeOption = new Option<string>("--store");
        var explode = new Command("explode") { storeOption };
        explode.SetAction(int (_) => throw new IOException("stdout is gone"));
        root.Add(explode);

        var result = await Invocation.Of(["explode", "--store", store.Root], root: root);

        var log = Assert.Single(Directory.GetFiles(Path.Combine(store.Root, "crashes"), "*.log"));
        AssertCrashLine(result, log);
    }

    private static async Task<Invocation> CancelOnceAsync(string[] args, string history, long afterNs)
    {
        using var interrupt = new CancellationTokenSource();
        var running = Invocation.Of(args, interrupt.Token);
        while (!running.IsCompleted && HistoryTail.NewestTimeNs(history) <= afterNs)
        {
            await Task.Delay(20);
        }
        await interrupt.CancelAsync();
        return await running;
    }

    [Fact]
    public async Task Given_a_sim_run_in_its_quiet_period_When_interrupted_Then_it_exits_130_and_keeps_its_history()
    {
        using var store = new TempStore();
        // 600 s of quiet with 64 busy clients: minutes of work, so the run is still quiet when cancelled.
        var args = SimRun(store, "--time-limit", "0.5", "--quiet", "600", "--clients", "64", "--rate", "10");

        var result = await CancelOnceAsync(args, store.LatestFile("history.jsonl"), afterNs: 1_000_000_000);

        Assert.Equal(ExitCodes.Interrupted, result.Exit);
        var end = RunHistory.Read(store.LatestFile("history.jsonl")).End;
        Assert.Equal("interrupted", end?.Reason);
        Assert.InRange(end!.TimeNs, 1_000_000_000, 600_000_000_000);
        Assert.True(File.Exists(store.LatestFile("results.json")), "an interrupted run is still checked");
    }

    [Fact]
    public async Task Given_a_sim_run_under_faults_When_interrupted_Then_it_exits_130_with_every_fault_healed()
    {
        using var store = new TempStore();
        var args = SimRun(store, "--time-limit", "3600", "--nemesis", "partition,kill", "--interval", "1");

        var result = await CancelOnceAsync(args, store.LatestFile("history.jsonl"), afterNs: 3_000_000_000);

        Assert.Equal(ExitCodes.Interrupted, result.Exit);
        var history = RunHistory.Read(store.LatestFile("history.jsonl"));
        Assert.Equal("interrupted", history.End?.Reason);
        Assert.True(history.End!.TimeNs < 3_600_000_000_000, "stopped before the time limit");
        var faults = history.Faults.ToList();
        Assert.NotEmpty(faults);
        Assert.Equal(faults.Count(f => f.Phase == "start"), faults.Count(f => f.Phase == "stop"));
    }

    [Fact]
    public async Task Given_a_long_compare_When_interrupted_Then_it_exits_130_and_says_so_in_one_line()
    {
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        // Each algorithm alone would simulate 65,000 s: only the interruption ends this in seconds.
        var result = await Invocation.Of(["compare", "--seeds", "1000", "--nemesis", "partition"], interrupt.Token);

        Assert.Equal(ExitCodes.Interrupted, result.Exit);
        Assert.Equal("coup: interrupted", Assert.Single(result.ErrorLines));
    }
}
