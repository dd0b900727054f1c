using System.CommandLine;
using Coup.Checkers;
using Coup.Harness.Run;
using Coup.History;
using Coup.Reports;

namespace Coup.Harness.Cli;

internal static class CheckCommand
{
    public static Command Create()
    {
        var directory = RunDirectory();
        var command = new Command(
            "check", "re-check a saved run: results.json, report.html and junit.xml from its history")
        {
            directory
        };
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            var runDirectory = Existing(parse.GetValue(directory)!);
            return InRunAsync(runDirectory, cancellation, () =>
            {
                var (_, results) = Verdicts.CheckAndReport(runDirectory, Console.Out);
                return Verdicts.ExitCode(results);
            });
        }));
        return command;
    }

    public static Command CreateReport()
    {
        var directory = RunDirectory();
        var command = new Command(
            "report", "re-render report.html and junit.xml from a saved history and results.json")
        {
            directory
        };
        command.SetAction((parse, cancellation) => Guard.Run(() =>
        {
            var runDirectory = Existing(parse.GetValue(directory)!);
            var resultsPath = Path.Combine(runDirectory, RunStore.ResultsFile);
            if (!File.Exists(resultsPath) && !Directory.Exists(resultsPath))
            {
                throw CoupException.Usage($"{resultsPath} is missing; run `coup check {runDirectory}` first");
            }
            Inputs.ReadableFile(resultsPath, "a results file");
            return InRunAsync(runDirectory, cancellation, () =>
            {
                var results = ResultsFile.Read(resultsPath);
                Report.Write(runDirectory, Path.Combine(runDirectory, RunStore.HistoryFile), results);
                Console.WriteLine(Path.Combine(runDirectory, "report.html"));
                return ExitCodes.Valid;
            });
        }));
        return command;
    }

    private static Argument<string> RunDirectory() =>
        new("run-dir") { Description = "a run directory, e.g. store/latest" };

    /// <summary>A run directory with a readable history, that Coup may write its verdict files in.</summary>
    private static string Existing(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw CoupException.Usage($"{directory} is not a directory; pass a run directory such as store/latest");
        }
        Inputs.ReadableFile(Path.Combine(directory, RunStore.HistoryFile), "history of a run");
        Inputs.WritableDirectory(directory, "the run directory");
        return directory;
    }

    /// <summary>
    /// Runs <paramref name="stage"/> off the console's thread so Ctrl-C stops the wait at once;
    /// a crash in it is logged in the run directory.
    /// </summary>
    private static async Task<int> InRunAsync(string runDirectory, CancellationToken cancellation, Func<int> stage)
    {
        var work = Task.Run(stage, CancellationToken.None);
        if (await Task.WhenAny(work, Task.Delay(Timeout.Infinite, cancellation)) != work)
        {
            throw new CoupException(ExitCodes.Interrupted,
                $"interrupted; {runDirectory} may hold partly written verdict files");
        }
        try
        {
            return await work;
        }
        catch (Exception e) when (e is not (CoupException or HistoryFormatException))
        {
            throw new CrashInRunException(runDirectory, e);
        }
    }
}
