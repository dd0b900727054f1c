using System.Diagnostics;
using Coup.Bench;

// Figures for the README: failover latency under kill-the-leader, cluster start, partition apply/heal.
// Usage: dotnet run --project bench/Coup.Bench -c Release -- [failovers=30] [nodes=5] [targets=raft]
// With several targets (comma-separated algorithms, or the real systems etcd and zookeeper) it prints
// one failover row pair per target, from one run; e.g. raft,etcd,zab,zookeeper.
var failovers = args.Length > 0 ? int.Parse(args[0]) : 30;
var nodes = args.Length > 1 ? int.Parse(args[1]) : 5;
var algorithms = args.Length > 2 ? args[2].Split(',') : ["raft"];
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
var stopwatch = Stopwatch.StartNew();
await using var bench = await ContainerBench.CreateAsync(nodes, interrupt.Token);
await bench.StartTimesAsync(rounds: 3, interrupt.Token);
foreach (var algorithm in algorithms)
{
    try
    {
        await bench.FailoversAsync(failovers, interrupt.Token, algorithm);
    }
    catch (TimeoutException e)
    {
        Console.WriteLine($"| {algorithm}: failover after SIGKILL of the leader | - | - | - | - | {e.Message} |");
    }
}
await bench.PartitionsAsync(rounds: 20, interrupt.Token);
Console.WriteLine($"bench took {stopwatch.Elapsed.TotalSeconds:0}s");
