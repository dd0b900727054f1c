using System.CommandLine;
using Coup.Nodes;

namespace Coup.Harness.Cli;

internal static class AlgorithmsCommand
{
    public static Command Create()
    {
        var command = new Command("algorithms", "list the election algorithms and the safety each claims");
        command.SetAction(_ =>
        {
            foreach (var algorithm in Algorithms.All)
            {
                var broken = algorithm.Broken ? " [broken on purpose]" : "";
                Console.WriteLine($"{algorithm.Name,-22} {algorithm.Description}{broken}. Claims: {algorithm.Safety}");
            }
            return ExitCodes.Valid;
        });
        return command;
    }
}
