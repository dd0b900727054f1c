using System.CommandLine;
using Coup.Harness;
using Coup.Harness.Cli;

var root = new RootCommand("Coup: stages coups against leader election and checks who ruled")
{
    RunCommand.Create(),
    CheckCommand.Create(),
    CheckCommand.CreateReport(),
    CleanCommand.Create(),
    AlgorithmsCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"coup: {parsed.Errors[0].Message} (see coup --help)");
    return ExitCodes.Usage;
}
// Our own actions heal and clean up on Ctrl-C; the parser must not kill the process meanwhile.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
