using System.CommandLine;
using Coup.Harness.Docker;

namespace Coup.Harness.Cli;

internal static class CleanCommand
{
    public static Command Create()
    {
        var command = new Command("clean", "remove every container and network a Coup run left behind (found by label)");
        command.SetAction((_, cancellation) => Guard.Run(async () =>
        {
            using var docker = await DockerEngine.ConnectAsync(cancellation);
            var (containers, networks) = await Cleanup.RemoveAllAsync(docker, cancellation);
            Console.WriteLine($"removed {containers} containers and {networks} networks");
            return ExitCodes.Valid;
        }));
        return command;
    }
}
