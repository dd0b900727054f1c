using System.CommandLine;
using Coup.Checkers;
using Coup.Harness.Docker;
using Coup.Harness.Matrix;
using Coup.Harness.Plans;
using Coup.Harness.Run;
using Coup.Reports.Matrix;

namespace Coup.Harness.Cli;

/// <summary><c>coup matrix PLAN [--shard i/n] [--store DIR]</c>: every run of a plan's cells, or of a shard.</summary>
internal static class MatrixCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("PLAN") { Description = "a plan file (see docs/plans.md)" };
        var shard = new Option<Shard>("--shard")
        {
            Description = "run the i-th of n parts of the cells (round-robin in cell id order, the same everywhere)",
            HelpName = "i/n",
            DefaultValueFactory = _ => Shard.Whole,
        };
        shard.CustomParser = result =>
        {
            var parsed = Shard.Parse(result.Tokens.Single().Value, out var problem);
            if (problem is not null)
            {
                result.AddError(problem);
            }
            return parsed ?? Shard.Whole;
        };
        var store = new Option<string>("--store")
        {
            Description = $"directory that keeps every run and {MatrixResult.FileName}; must be writable",
            DefaultValueFactory = _ => RunStore.DefaultRoot,
        };
        var command = new Command("matrix", "run every cell of a plan (or one shard); write matrix.json")
        {
            file, shard, store,
        };
        command.SetAction((parse, cancellation) => Guard.Run(async () =>
        {
            var (plan, expansion) = PlanCommand.Load(parse.GetValue(file)!);
            var part = parse.GetValue(shard)!;
            var root = parse.GetValue(store)!;
            Inputs.WritableDirectory(root, "--store");
            var cells = part.Select(expansion.Cells);
            if (cells.Any(c => c.Runtime == RuntimeKind.Docker))
            {
                using var _ = await DockerEngine.ConnectAsync(cancellation);
            }
            IMatrixProgress progress = Console.IsOutputRedirected
                ? new PlainProgress(Console.Out)
                : new LiveProgress();
            var (result, interrupted) =
                await new MatrixRunner(plan, part, root, progress, Console.Error).RunAsync(cells, cancellation);
            MatrixOutputs.Write(root, result, baseline: null);
            Console.WriteLine(Summary(result, Path.Combine(root, MatrixResult.FileName)));
            return interrupted ? ExitCodes.Interrupted : cells.Count == 0 ? ExitCodes.Valid
                : RegressionAlarm.ExitCode(result, alarm: null);
        }));
        return command;
    }

    public static string Summary(MatrixResult result, string path)
    {
        var verdicts = result.Cells.GroupBy(c => c.Verdict).ToDictionary(g => g.Key, g => g.Count());
        return $"{result.Plan} {string.Join(",", result.Shards)}: {result.Cells.Count} cells, "
            + $"{result.Cells.Sum(c => c.Runs.Count)} runs; {verdicts.GetValueOrDefault(Verdict.Valid)} valid, "
            + $"{verdicts.GetValueOrDefault(Verdict.Invalid)} invalid, {verdicts.GetValueOrDefault(Verdict.Unknown)} "
            + $"unknown cells -> {path}";
    }
}
