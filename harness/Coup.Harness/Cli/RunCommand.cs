using System.CommandLine;
using Coup.Faults;
using Coup.Harness.Run;

namespace Coup.Harness.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var algorithm = new Option<string>("--algorithm", "-a") { Description = "election algorithm to run (see coup algorithms)", DefaultValueFactory = _ => "raft" };
        var nodes = new Option<int>("--nodes", "-n") { Description = "cluster size", DefaultValueFactory = _ => 5 };
        var timeLimit = new Option<double>("--time-limit", "-t") { Description = "seconds of faults and workload, before the final heal", DefaultValueFactory = _ => 60 };
        var nemesis = new Option<string>("--nemesis") { Description = "comma-separated fault kinds: kill,pause,partition,clock,chase,amnesia (or none)", DefaultValueFactory = _ => "none" };
        var interval = new Option<double>("--interval") { Description = "seconds between faults (jittered); each is healed before the next", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "seed for every random choice (default: a fresh one, printed)" };
        var runtime = new Option<RuntimeKind>("--runtime") { Description = "docker (real containers) or sim (in-process simulator)", DefaultValueFactory = _ => RuntimeKind.Docker };
        var store = new Option<string>("--store") { Description = "directory that keeps every run", DefaultValueFactory = _ => "store" };
        var clients = new Option<int>("--clients") { Description = "concurrent client processes", DefaultValueFactory = _ => 3 };
        var rate = new Option<double>("--rate") { Description = "writes per second per client", DefaultValueFactory = _ => 10 };
        var system = new Option<string?>("--system") { Description = "a real system instead of Coup's nodes: etcd, zookeeper or redis-sentinel (containers only)" };
        var set = new Option<string[]>("--set") { Description = "a system setting, name=value (repeatable; see docs/systems.md)", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var observe = new Option<int>("--observe-ms") { Description = "how often each member of a real system is asked for its role and term", DefaultValueFactory = _ => 50 };
        var quiet = new Option<double>("--quiet") { Description = "seconds after the final heal before the final observation", DefaultValueFactory = _ => 5 };

        var command = new Command("run", "start a cluster, inject faults, record, check and report")
        {
            algorithm, system, set, observe, nodes, timeLimit, nemesis, interval, seed, runtime, store, clients, rate, quiet,
        };
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            IReadOnlyList<FaultKind> kinds;
            try
            {
                kinds = FaultKinds.Parse(parse.GetValue(nemesis)!);
            }
            catch (ArgumentException e)
            {
                throw CoupException.Usage(e.Message);
            }
            var plan = new RunPlan
            {
                Algorithm = parse.GetValue(algorithm)!,
                Nodes = parse.GetValue(nodes),
                TimeLimitS = parse.GetValue(timeLimit),
                Nemesis = kinds,
                IntervalS = parse.GetValue(interval),
                Seed = parse.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000),
                Runtime = parse.GetValue(runtime),
                Store = parse.GetValue(store)!,
                Clients = parse.GetValue(clients),
                WriteRateHz = parse.GetValue(rate),
                QuietS = parse.GetValue(quiet),
                System = parse.GetValue(system),
                Settings = parse.GetValue(set) ?? [],
                ObservePeriodMs = parse.GetValue(observe),
            }.Validated();
            return new Runner(plan, Console.Out).RunAsync(cancellation);
        }));
        return command;
    }
}
