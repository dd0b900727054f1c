using System.Diagnostics;
using System.Globalization;
using Coup.Checkers;
using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Sim;
using Coup.History;
using Coup.Reports;

namespace Coup.Bench;

/// <summary>
/// <c>stream [simulated-s=70000] [algorithm=raft] [history]</c>: records a long 5-node simulator run with
/// 5 clients writing 20 times a second each, under partitions, kills and pauses (about 147 events a
/// simulated second for raft, so some 10 million events by default), then checks it the way
/// <c>coup check</c> does, reading and checking in one pass, and prints events checked per second and
/// the check's peak resident memory; then writes its report (<c>report.html</c>, the plots, JUnit) from a
/// summary folded the same way, and prints that time and peak. Given a history path that exists, it checks that
/// instead of recording one (a path that does not exist is recorded to and kept).
/// </summary>
internal static class StreamBench
{
    public static int Run(string[] args)
    {
        var simulatedS = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 70_000;
        var algorithm = args.Length > 1 ? args[1] : "raft";
        var keep = args.Length > 2;
        var store = Directory.CreateTempSubdirectory("coup-bench-stream-").FullName;
        var historyPath = keep ? args[2] : Path.Combine(store, RunStore.HistoryFile);
        try
        {
            if (!File.Exists(historyPath))
            {
                Record(simulatedS, algorithm, store, historyPath);
            }
            var events = CountLines(historyPath);
            var historyMb = new FileInfo(historyPath).Length / 1e6;
            SimBench.ResetPeak();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var checking = Stopwatch.StartNew();
            var results = CheckerSuite.Check(historyPath);
            checking.Stop();
            // Processor time of both threads, which the machine's load does not stretch as it does wall time.
            var cpuS = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var peakMb = SimBench.PeakMb();
            Console.WriteLine("| figure | value | peak RSS | load average (1 min) |");
            Console.WriteLine("| --- | --- | --- | --- |");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| streaming check: {events} events, {historyMb:0} MB of history, "
                + $"{results.Verdict.ToString().ToLowerInvariant()}, in {checking.Elapsed.TotalSeconds:0.0} s "
                + $"({cpuS:0.0} s of processor time) "
                + $"| {events / checking.Elapsed.TotalSeconds:0} events/s | {peakMb:0} MB "
                + $"| {SimBench.LoadAverage()} |"));

            SimBench.ResetPeak();
            var reporting = Stopwatch.StartNew();
            Report.Write(Path.Combine(store, "report"), historyPath, results);
            reporting.Stop();
            var reportKb = new FileInfo(Path.Combine(store, "report", Report.HtmlFile)).Length / 1024;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| its report from a streamed summary: report.html {reportKb} KB with its plots, "
                + $"in {reporting.Elapsed.TotalSeconds:0.0} s | {events / reporting.Elapsed.TotalSeconds:0} events/s "
                + $"| {SimBench.PeakMb():0} MB | {SimBench.LoadAverage()} |"));
            return 0;
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    private static void Record(double simulatedS, string algorithm, string store, string historyPath)
    {
        var plan = new RunPlan
        {
            Algorithm = algorithm,
            Runtime = RuntimeKind.Sim,
            Nemesis = [FaultKind.Partition, FaultKind.Kill, FaultKind.Pause],
            Seed = 1,
            Store = store,
        }.Validated() with
        {
            // Past the harness's writes-per-run limit (OptionLimits.WritesMax, about 1.3 GB of history), to
            // reach 10 million events.
            TimeLimitS = simulatedS,
            Clients = 5,
            WriteRateHz = 20,
        };
        var recording = Stopwatch.StartNew();
        using (var writer = new HistoryWriter(historyPath))
        {
            SimulatedRuntime.Record(plan, writer, DateTimeOffset.UnixEpoch, CancellationToken.None);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recorded {simulatedS:0} simulated s of {algorithm} in {recording.Elapsed.TotalSeconds:0} s: "
            + $"{historyPath}"));
    }

    private static long CountLines(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        var lines = 0L;
        for (int read; (read = file.Read(buffer)) > 0;)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return lines;
    }
}
