using System.CommandLine;
using Coup.Checkers;
using Coup.Checkers.History;
using Coup.Harness.Run;
using Coup.Reports;

namespace Coup.Harness.Cli;

internal static class CheckCommand
{
    public static Command Create()
    {
        var directory = RunDirectory();
        var command = new Command("check", "re-check a saved run: results.json, report.html and junit.xml from its history") { directory };
        command.SetAction((parse, _) => Guard.Run(() =>
        {
            var runDirectory = Existing(parse.GetValue(directory)!);
            var (_, results) = Verdicts.CheckAndReport(runDirectory, Console.Out);
            return Task.FromResult(Verdicts.ExitCode(results));
        }));
        return command;
    }

    public static Command CreateReport()
    {
        var directory = RunDirectory();
        var command = new Command("report", "re-render report.html and junit.xml from a saved history and results.json") { directory };
        command.SetAction((parse, _) => Guard.Run(() =>
        {
            var runDirectory = Existing(parse.GetValue(directory)!);
            var resultsPath = Path.Combine(runDirectory, RunStore.ResultsFile);
            if (!File.Exists(resultsPath))
            {
                throw CoupException.Usage($"{resultsPath} is missing; run `coup check {runDirectory}` first");
            }
            Report.Write(runDirectory, History.Read(Path.Combine(runDirectory, RunStore.HistoryFile)), ResultsFile.Read(resultsPath));
            Console.WriteLine(Path.Combine(runDirectory, "report.html"));
            return Task.FromResult(ExitCodes.Valid);
        }));
        return command;
    }

    private static Argument<string> RunDirectory() => new("run-dir") { Description = "a run directory, e.g. store/latest" };

    private static string Existing(string directory) =>
        Directory.Exists(directory) ? directory
        : throw CoupException.Usage($"{directory} is not a directory; pass a run directory such as store/latest");
}
