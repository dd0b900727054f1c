using System.CommandLine;
using Coup.Harness.Plans;

namespace Coup.Harness.Cli;

/// <summary><c>coup plan validate FILE</c>: a plan's cells and runs, or each problem with its place.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a plan file (YAML or JSON; see docs/plans.md)" };
        var validate = new Command("validate", "check a plan file; print its cells and runs, or one line per problem")
        {
            file,
        };
        validate.SetAction((parse, _) => Guard.Run(() =>
        {
            var (_, expansion) = Load(parse.GetValue(file)!);
            Console.WriteLine(expansion.Summary);
            foreach (var skipped in expansion.Skipped)
            {
                Console.WriteLine(skipped.Line);
            }
            return Task.FromResult(ExitCodes.Valid);
        }));
        return new Command("plan", "plan files: a matrix of runs (docs/plans.md)") { validate };
    }

    /// <summary>
    /// Reads, checks and expands a plan; every problem goes to stderr, one line each, and ends the
    /// command with the usage code.
    /// </summary>
    public static (Plan Plan, PlanExpansion Expansion) Load(string path)
    {
        Inputs.ReadableFile(path, "plan file");
        var (plan, problems) = PlanReader.Read(PlanDocument.Load(path));
        var expansion = plan is null ? null : PlanCells.Expand(plan);
        var all = expansion?.Problems ?? problems;
        if (all.Count > 0)
        {
            foreach (var problem in all.SkipLast(1))
            {
                Console.Error.WriteLine($"coup: {problem.Line(path)}");
            }
            throw CoupException.Usage(all[^1].Line(path));
        }
        return (plan!, expansion!);
    }
}
