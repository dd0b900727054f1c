using Coup.Faults;
using Coup.Harness.Run;
using Coup.Harness.Systems;

namespace Coup.Harness.Plans;

/// <summary>Cells of a plan left out because their combination does not apply, counted by reason.</summary>
public sealed record SkippedCells(string Reason, int Count)
{
    public string Line => $"skipped {Count} cell{(Count == 1 ? "" : "s")}: {Reason}";
}

/// <summary>What a plan expands to: its cells ordered by id, what was skipped, and the problems of the runs.</summary>
public sealed record PlanExpansion(
    IReadOnlyList<PlanCell> Cells, IReadOnlyList<SkippedCells> Skipped, IReadOnlyList<PlanProblem> Problems)
{
    public int Runs => Cells.Sum(c => c.Seeds.Count);

    public string Summary => $"{Cells.Count} cells, {Runs} runs";

    public PlanCell? Find(string id) => Cells.FirstOrDefault(c => c.Id == id);
}

/// <summary>
/// Expands a plan into cells: every target × nemesis set × runtime × cluster size, skipping the
/// combinations that cannot run (a real system in the simulator, amnesia below its cluster size, a
/// clock fault a system refuses, a system below its size) and checking each cell's run as <c>coup run</c>
/// would (<see cref="RunPlan.Validated"/>), so a plan keeps to the same budgets.
/// </summary>
public static class PlanCells
{
    public static PlanExpansion Expand(Plan plan)
    {
        var cells = new List<PlanCell>();
        var skipped = new List<(SkipKind Kind, string Subject)>();
        var problems = new List<PlanProblem>();
        foreach (var target in plan.Targets)
        {
            var system = target.IsSystem ? ClusterSystems.Find(target.Name) : null;
            foreach (var (nemesis, runtime, nodes) in
                from n in plan.Nemeses from r in target.Runtimes from size in target.Nodes select (n, r, size))
            {
                if (SkipReason(system, nemesis.Choices, runtime, nodes) is { } reason)
                {
                    skipped.Add(reason);
                    continue;
                }
                var cell = new PlanCell
                {
                    Target = target,
                    Nemesis = nemesis,
                    Runtime = runtime,
                    Nodes = nodes,
                    Seeds = plan.Seeds(runtime),
                };
                try
                {
                    cell.RunPlan(plan, cell.Seeds[0], RunStore.DefaultRoot).Validated();
                    cells.Add(cell);
                }
                catch (CoupException e)
                {
                    problems.Add(new PlanProblem(target.Pointer, $"{cell.Id}: {e.Message}"));
                }
            }
        }
        var expansion = new PlanExpansion(
            [.. cells.OrderBy(c => c.Id, StringComparer.Ordinal)],
            [.. skipped.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => new SkippedCells(
                Reason(g.Key, string.Join(", ", g.Select(s => s.Subject).Distinct().Order(StringComparer.Ordinal))),
                g.Count()))],
            [.. problems.DistinctBy(p => p.Pointer)]);
        if (expansion.Problems.Count == 0 && expansion.Cells.Count == 0)
        {
            var reasons = string.Join("; ", expansion.Skipped.Select(s => s.Line));
            return expansion with { Problems = [new PlanProblem("", $"no cell is left to run; {reasons}")] };
        }
        if (expansion.Runs > OptionLimits.PlanRunsMax)
        {
            var size = new PlanProblem("", $"{expansion.Summary}: at most {OptionLimits.PlanRunsMax} runs "
                + "(cells × seeds) per plan; lower seeds or split the plan");
            return expansion with { Problems = [.. expansion.Problems, size] };
        }
        return expansion;
    }

    private enum SkipKind { SystemInSim, AmnesiaSize, ClockRefused, PacketsRefused, SystemSize }

    /// <summary>Why a combination does not apply: its kind, and whom it concerns (a cell counts once).</summary>
    private static (SkipKind, string)? SkipReason(
        ClusterSystem? system, IReadOnlyList<FaultChoice> nemesis, RuntimeKind runtime, int nodes)
    {
        if (system is not null && runtime == RuntimeKind.Sim)
        {
            return (SkipKind.SystemInSim, system.Name);
        }
        if (nemesis.Contains(FaultKind.Amnesia) && nodes < FaultKinds.AmnesiaNodesMin)
        {
            return (SkipKind.AmnesiaSize, $"{nodes}");
        }
        if (system is { ClockRefusal: not null } && nemesis.Any(c => c.Kind == FaultKind.Clock))
        {
            return (SkipKind.ClockRefused, system.Name);
        }
        if (system is not null && Docker.PacketPaths.Refusal(nemesis, system.Name, Docker.PacketPaths.KernelHasNetem)
            is not null)
        {
            return (SkipKind.PacketsRefused, system.Name);
        }
        if (system is not null && nodes < system.NodesMin)
        {
            return (SkipKind.SystemSize, $"{system.Name} below {system.NodesMin}");
        }
        return null;
    }

    private static string Reason(SkipKind kind, string subjects) => kind switch
    {
        SkipKind.SystemInSim => $"{subjects} run only in containers (their sim cells)",
        SkipKind.AmnesiaSize =>
            $"amnesia needs at least {FaultKinds.AmnesiaNodesMin} nodes (cells of {subjects} nodes)",
        SkipKind.ClockRefused => $"clock faults are refused for {subjects} (docs/systems.md says why)",
        SkipKind.PacketsRefused => $"packet delay, duplication and reordering are refused for {subjects} " +
            "on a kernel without netem (docs/packets.md says why)",
        _ => $"too few nodes for the system ({subjects})",
    };
}
