using System.CommandLine;
using Coup.Harness.Systems;
using Coup.Nodes;

namespace Coup.Harness.Cli;

internal static class AlgorithmsCommand
{
    public static Command Create()
    {
        var command = new Command(
            "algorithms", "list the election algorithms and real systems, and the safety each claims");
        command.SetAction(_ =>
        {
            var width = Algorithms.Names.Concat(ClusterSystems.Names).Max(n => n.Length);
            foreach (var algorithm in Algorithms.All)
            {
                var broken = algorithm.Broken ? " [broken on purpose]" : "";
                Console.WriteLine(
                    $"{algorithm.Name.PadRight(width)} {algorithm.Description}{broken}. Claims: {algorithm.Safety}");
            }
            Console.WriteLine();
            Console.WriteLine("Real systems (run with --system NAME; docs/systems.md):");
            foreach (var system in ClusterSystems.Names.Select(ClusterSystems.Find))
            {
                var clock = system.ClockRefusal is null ? "clock faults work" : "clock faults refused";
                Console.WriteLine(
                    $"{system.Name.PadRight(width)} {system.Description}. Claims: {system.Safety}; {clock}");
            }
            return ExitCodes.Valid;
        });
        return command;
    }
}
