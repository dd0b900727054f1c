using System.Diagnostics;
using Coup.Bench;

// Figures for the README: cluster start, teardown and node memory; failover latency under
// kill-the-leader; partition apply/heal.
// Usage: dotnet run --project bench/Coup.Bench -c Release -- [failovers=30] [nodes=5] [targets=raft]
//        dotnet run --project bench/Coup.Bench -c Release -- overhead [rounds=10] [nodes=5] [images]
//        dotnet run --project bench/Coup.Bench -c Release -- swarm [seeds=200] [algorithm=raft] [parallel]
//        dotnet run --project bench/Coup.Bench -c Release -- sim [simulated-s=3600] [algorithm=raft]
//        dotnet run --project bench/Coup.Bench -c Release -- stream [simulated-s=70000] [algorithm=raft] [history]
// With several targets (comma-separated algorithms, or the real systems etcd and zookeeper) it prints
// one failover row pair per target, from one run; e.g. raft,etcd,zab,zookeeper. `overhead` prints only
// the per-run overhead (start, teardown, resident memory per node), of fresh clusters and of one cluster
// reused (reset) from round to round as a matrix does; other node images (comma-separated variants of
// the node host) take their fresh rounds in turn with the built one's, to compare them.
if (args is ["sim", ..])
{
    return SimBench.Run(args[1..]);
}
if (args is ["stream", ..])
{
    return StreamBench.Run(args[1..]);
}
if (args is ["swarm", ..])
{
    return await SwarmBench.RunAsync(args[1..]);
}
var overheadOnly = args is ["overhead", ..];
var numbers = overheadOnly ? args[1..] : args;
var first = numbers.Length > 0 ? int.Parse(numbers[0]) : overheadOnly ? 10 : 30;
var nodes = numbers.Length > 1 ? int.Parse(numbers[1]) : 5;
var algorithms = !overheadOnly && numbers.Length > 2 ? numbers[2].Split(',') : ["raft"];
var otherImages = overheadOnly && numbers.Length > 2 ? numbers[2].Split(',') : [];
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
var stopwatch = Stopwatch.StartNew();
await using var bench = await ContainerBench.CreateAsync(nodes, interrupt.Token);
Console.WriteLine($"load average (1 min) before the fresh rounds: {SimBench.LoadAverage()}");
await bench.OverheadAsync(rounds: overheadOnly ? first : 10, otherImages, interrupt.Token);
Console.WriteLine($"load average (1 min) before the reused rounds: {SimBench.LoadAverage()}");
await bench.ReusedOverheadAsync(rounds: overheadOnly ? first : 10, interrupt.Token);
Console.WriteLine($"load average (1 min) after: {SimBench.LoadAverage()}");
if (!overheadOnly)
{
    foreach (var algorithm in algorithms)
    {
        try
        {
            await bench.FailoversAsync(first, interrupt.Token, algorithm);
        }
        catch (TimeoutException e)
        {
            Console.WriteLine(
                $"| {algorithm}: failover after SIGKILL of the leader | - | - | - | - | - | {e.Message} |");
        }
    }
    await bench.PartitionsAsync(rounds: 20, interrupt.Token);
}
Console.WriteLine($"bench took {stopwatch.Elapsed.TotalSeconds:0}s");
return 0;
