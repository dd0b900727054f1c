using System.CommandLine;
using Coup.Harness.Docker;

namespace Coup.Harness.Cli;

internal static class CleanCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all")
        {
            Description = "also remove runs of live harnesses and runs without owner labels (every coup.run label)",
        };
        var command = new Command(
            "clean", "remove the containers and networks of runs whose harness is gone (found by label)") { all };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            using var docker = await DockerEngine.ConnectAsync(cancellation);
            if (parse.GetValue(all))
            {
                var (containers, networks) = await Cleanup.RemoveAllAsync(docker, cancellation);
                Console.WriteLine($"removed {containers} containers and {networks} networks");
                return ExitCodes.Valid;
            }
            var swept = await OrphanSweep.SweepLocalAsync(docker, cancellation);
            foreach (var line in swept.Removed.Select(r => r.ToString()).Concat(swept.Kept.Select(k => k.ToString())))
            {
                Console.WriteLine(line);
            }
            var keptRuns = swept.Kept.Select(k => k.RunId).Distinct().Count();
            Console.WriteLine(
                $"removed {swept.Removed.Count} runs ({swept.Removed.Sum(r => r.Containers)} containers, "
                    + $"{swept.Removed.Sum(r => r.Networks)} networks); kept {keptRuns}");
            return ExitCodes.Valid;
        }));
        return command;
    }
}
