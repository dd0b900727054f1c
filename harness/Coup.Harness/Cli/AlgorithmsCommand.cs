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
            foreach (var (name, description) in Algorithms.Descriptions)
            {
                Console.WriteLine($"{name,-10} {description}");
            }
            return ExitCodes.Valid;
        });
        return command;
    }
}
