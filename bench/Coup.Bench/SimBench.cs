using System.Diagnostics;
using System.Globalization;
using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.History;
using Coup.Simulation;

namespace Coup.Bench;

/// <summary>
/// <c>sim [simulated-s=3600] [algorithm=raft]</c>: how fast the simulator records a 5-node run with the default
/// workload under partitions, kills and pauses (simulated seconds per wall second), and how fast the checkers
/// read and check the history it wrote, streaming as <c>coup check</c> does (events per second), each with the
/// process's peak resident memory.
/// </summary>
internal static class SimBench
{
    public static int Run(string[] args)
    {
        var simulatedS = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3600;
        var store = Directory.CreateTempSubdirectory("coup-bench-sim-").FullName;
        try
        {
            var plan = new RunPlan
            {
                Algorithm = args.Length > 1 ? args[1] : "raft",
                Runtime = RuntimeKind.Sim,
                TimeLimitS = simulatedS,
                Nemesis = [FaultKind.Partition, FaultKind.Kill, FaultKind.Pause],
                Seed = 1,
                Store = store,
            }.Validated();
            var historyPath = Path.Combine(store, RunStore.HistoryFile);
            ResetPeak();
            var (recordingS, events) = Record(plan, historyPath);
            var allocatedMb = GC.GetTotalAllocatedBytes() / 1e6;
            var recordPeakMb = PeakMb();
            ResetPeak();
            var warmS = WarmRecordingS(plan, store);
            var warmPeakMb = PeakMb();
            var historyMb = new FileInfo(historyPath).Length / 1e6;

            ResetPeak();
            var checking = Stopwatch.StartNew();
            var results = CheckerSuite.Check(historyPath);
            checking.Stop();
            var checkPeakMb = PeakMb();

            var ranS = plan.TimeLimitS + plan.QuietS;
            Console.WriteLine("| figure | value | peak RSS | load average (1 min) |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| simulator: {plan.Algorithm}, 5 nodes, default workload, partition,kill,pause, "
                + $"{ranS:0} s simulated "
                + $"in {recordingS:0.0} s | {ranS / recordingS:0}x real time "
                + $"| {recordPeakMb:0} MB | {LoadAverage()} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| simulator, warm: the same run again in the same process (code compiled and tiered up, as a "
                + $"swarm worker's after its first seed), best of {WarmRuns}: {ranS:0} s simulated in {warmS:0.00} s; "
                + $"the first run allocated {allocatedMb:0} MB | {ranS / warmS:0}x real time | {warmPeakMb:0} MB "
                + $"| {LoadAverage()} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| checkers: read and check its history ({events} events, {historyMb:0} MB, "
                + $"{results.Verdict.ToString().ToLowerInvariant()}) in {checking.Elapsed.TotalSeconds:0.0} s "
                + $"| {events / checking.Elapsed.TotalSeconds:0} events/s | {checkPeakMb:0} MB "
                + $"| {LoadAverage()} |"));
            Console.WriteLine(CoreRow(plan.Algorithm, simulatedS));
            return 0;
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    private const int WarmRuns = 3;

    /// <summary>The best of <see cref="WarmRuns"/> more recordings of <paramref name="plan"/>, in this process.
    /// </summary>
    private static double WarmRecordingS(RunPlan plan, string store)
    {
        var bestS = double.MaxValue;
        for (var run = 0; run < WarmRuns; run++)
        {
            var path = Path.Combine(store, $"warm-{run}.jsonl");
            bestS = Math.Min(bestS, Record(plan, path).Seconds);
            File.Delete(path);
        }
        return bestS;
    }

    /// <summary>Records <paramref name="plan"/> in the simulator to <paramref name="path"/>: how long it took and
    /// how many events it wrote.</summary>
    private static (double Seconds, int Events) Record(RunPlan plan, string path)
    {
        var watch = Stopwatch.StartNew();
        using var writer = new HistoryWriter(path);
        SimulatedRuntime.Record(plan, writer, DateTimeOffset.UnixEpoch, CancellationToken.None);
        writer.Flush();
        return (watch.Elapsed.TotalSeconds, writer.Count);
    }

    /// <summary>
    /// The simulator alone (<see cref="SimulatedCluster"/>: its event queue, network and the algorithm), no faults,
    /// clients or recorder: what the run's figure has left once the workload and the history are taken away.
    /// </summary>
    private static string CoreRow(string algorithm, double simulatedS)
    {
        ResetPeak();
        var cluster = new SimulatedCluster(algorithm, nodeCount: 5, seed: 1);
        cluster.Start();
        var watch = Stopwatch.StartNew();
        cluster.RunFor(TimeSpan.FromSeconds(simulatedS));
        watch.Stop();
        return string.Create(CultureInfo.InvariantCulture,
            $"| simulator core: {algorithm}, 5 nodes, no faults, clients or history, {simulatedS:0} s simulated "
            + $"({cluster.MessagesSent} messages) in {watch.Elapsed.TotalSeconds:0.00} s "
            + $"| {simulatedS / watch.Elapsed.TotalSeconds:0}x real time | {PeakMb():0} MB | {LoadAverage()} |");
    }

    /// <summary>Linux's peak resident set (VmHWM) starts again from the current one.</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static double PeakMb() => File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(
            l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
        .Single() / 1024;

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
