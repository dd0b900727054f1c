using System.CommandLine;
using System.Text.Json;
using Coup.Reports.Matrix;

namespace Coup.Harness.Cli;

/// <summary>
/// <c>coup merge STORE... --output DIR</c>: the matrix results of one plan's shards as one, with every
/// run copied under DIR at the path its result names.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var stores = new Argument<string[]>("STORE")
        {
            Description = $"a shard's store (holding {MatrixResult.FileName})",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output")
        {
            Description = "the merged store: matrix.json and every shard's runs",
            Required = true,
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = "a previous merged result "
                + $"({MatrixResult.FileName}, or the store holding it) to compare with: "
                + "a cell valid then and invalid now, a new unknown, or a slower failover is a regression (exit 1)",
            HelpName = "FILE|DIR",
        };
        var command = new Command("merge", "merge the stores of a plan's shards into one; compare with a baseline")
        {
            stores, baseline, output,
        };
        command.SetAction((parse, _) => Guard.Run(() =>
        {
            var roots = parse.GetValue(stores)!;
            var results = roots.Select(Read).ToList();
            var previous = parse.GetValue(baseline) is { } given ? ReadFile(BaselinePath(given)) : null;
            MatrixResult merged;
            try
            {
                merged = MatrixMerge.Merge(results);
            }
            catch (MatrixMergeException e)
            {
                throw CoupException.Usage(e.Message);
            }
            var target = Inputs.WritableDirectory(parse.GetValue(output)!, "--output");
            var copies = roots.SelectMany((root, i) => Copies(Path.GetFullPath(root), target, results[i])).ToList();
            copies.ForEach(c => Copy(c.Source, c.Destination));
            var path = Path.Combine(target, MatrixResult.FileName);
            merged.Write(path);
            Console.WriteLine(MatrixCommand.Summary(merged, path));
            if (MatrixMerge.Missing(merged) is { Count: > 0 } missing)
            {
                Console.Error.WriteLine($"coup: shards {string.Join(", ", missing)} are not in this merge");
            }
            StoreIndex.KeepNight(target, merged);
            var alarm = MatrixOutputs.Write(target, merged, previous);
            if (alarm is not null)
            {
                var regressions = alarm.Regressions.ToList();
                Console.WriteLine(regressions.Count == 0
                    ? "no regression against the baseline"
                    : $"{regressions.Count} regression{(regressions.Count == 1 ? "" : "s")} against the baseline: "
                        + string.Join("; ", regressions.Select(f => $"{f.CellId} {f.KindName}: {f.Detail}")));
            }
            Console.WriteLine($"comparison: {Path.Combine(target, ComparisonPage.FileName)}");
            return Task.FromResult(RegressionAlarm.ExitCode(merged, alarm));
        }));
        return command;
    }

    private static MatrixResult Read(string root) => ReadFile(Path.Combine(root, MatrixResult.FileName));

    /// <summary>A baseline given as its store (the directory holding matrix.json) or as the file itself.</summary>
    private static string BaselinePath(string given) =>
        Directory.Exists(given) ? Path.Combine(given, MatrixResult.FileName) : given;

    private static MatrixResult ReadFile(string file)
    {
        var path = Inputs.ReadableFile(file, "matrix result (run coup matrix)");
        try
        {
            return MatrixResult.Read(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw CoupException.Usage($"{path}: not a matrix result ({Inputs.OneLine(e.Message)})");
        }
    }

    /// <summary>
    /// Each run's directory and where it goes under <paramref name="target"/> (the same relative path),
    /// all checked before anything is copied.
    /// </summary>
    private static IEnumerable<(string Source, string Destination)> Copies(
        string root, string target, MatrixResult result)
    {
        if (Path.TrimEndingDirectorySeparator(root) == Path.TrimEndingDirectorySeparator(target))
        {
            return [];
        }
        var copies = new List<(string, string)>();
        foreach (var run in result.Cells.SelectMany(c => c.Runs).Where(r => r.RunDirectory.Length > 0))
        {
            var source = Path.Combine(root, run.RunDirectory);
            var destination = Path.Combine(target, run.RunDirectory);
            if (!Directory.Exists(source))
            {
                throw CoupException.Usage($"{source} is missing: {root}/{MatrixResult.FileName} names it; "
                    + "merge the whole store as the shard left it");
            }
            if (Directory.Exists(destination))
            {
                throw CoupException.Usage($"{destination} exists already; merge into an empty directory");
            }
            copies.Add((source, destination));
        }
        return copies;
    }

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            Copy(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
