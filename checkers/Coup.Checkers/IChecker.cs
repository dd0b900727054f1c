using Coup.History;
namespace Coup.Checkers;

/// <summary>A pure function from a saved history to a verdict. Checkers never touch the cluster.</summary>
public interface IChecker
{
    string Name { get; }
    CheckResult Check(RunHistory history);
}
