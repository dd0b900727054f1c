using System.Globalization;

namespace Coup.Harness.Cli;

/// <summary>
/// Where a crash of Coup itself goes: its stack trace into <c>crash.log</c> in the run directory
/// when one exists by then, else into <c>&lt;store&gt;/crashes/&lt;time&gt;.log</c> (the system's
/// temporary directory if neither can be written); stderr gets one line naming the file.
/// </summary>
internal static class CrashLog
{
    public const string RunFile = "crash.log";
    public const string StoreFolder = "crashes";

    public static int Write(Exception exception, IReadOnlyList<string> args, string storeRoot, TextWriter error)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        var (directory, file, cause) = exception is CrashInRunException { InnerException: { } inner } crash
            ? (crash.RunDirectory, RunFile, inner)
            : (Path.Combine(storeRoot, StoreFolder), $"{stamp}.log", exception);
        var text = $"{stamp} coup {string.Join(' ', args)}{Environment.NewLine}{cause}{Environment.NewLine}";
        var path = TryAppend(directory, file, text)
            ?? TryAppend(Path.Combine(Path.GetTempPath(), "coup-crashes"), $"{stamp}.log", text);
        var what = $"coup: crashed, a bug in Coup and not a verdict: {Inputs.OneLine(cause.Message)}";
        error.WriteLine(path is null
            ? $"{what}; no crash log could be written, stack trace: {Inputs.OneLine(cause.ToString())}"
            : $"{what}; stack trace in {path}");
        return ExitCodes.Crash;
    }

    private static string? TryAppend(string directory, string file, string text)
    {
        try
        {
            var path = Path.Combine(Directory.CreateDirectory(directory).FullName, file);
            File.AppendAllText(path, text);
            return path;
        }
        catch (Exception e) when (Inputs.IsPathProblem(e))
        {
            return null;
        }
    }
}
