using System.Diagnostics;

namespace Coup.Reports.Tests.Matrix;

/// <summary>
/// The nightly workflow checked by the validator made for GitHub workflows (npm's @action-validator/cli,
/// which checks the workflow JSON schema and its globs), and a broken copy refused, so the test can fail.
/// </summary>
public class NightlyWorkflowTests
{
    private static readonly string Workflow = Path.Combine(RepositoryRoot(), ".github", "workflows", "nightly.yml");

    [Fact]
    public void The_nightly_workflow_passes_the_workflow_validator()
    {
        var (exit, output) = Validate(Workflow);

        Assert.True(exit == 0, $"action-validator exited {exit}:\n{output}");
    }

    [Fact]
    public void A_copy_with_a_misspelt_key_is_refused_by_the_validator()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"coup-nightly-broken-{Guid.NewGuid():N}.yml");
        var text = File.ReadAllText(Workflow);
        Assert.Contains("runs-on:", text);
        File.WriteAllText(broken, text.Replace("runs-on:", "runs-onn:"));
        try
        {
            var (exit, output) = Validate(broken);

            Assert.True(exit == 1, $"action-validator exited {exit}, expected 1:\n{output}");
            Assert.Contains("runs-onn", output);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void Each_shard_runs_the_matrix_command_a_user_runs_locally_and_the_merge_fails_only_on_exit_1_or_a_crash()
    {
        var text = File.ReadAllText(Workflow);

        Assert.Contains("./coup matrix plans/nightly.yaml --shard ${{ matrix.shard }}/4 --store store", text);
        Assert.Contains("shard: [1, 2, 3, 4]", text);
        Assert.Contains("key: coup-base-image-${{ hashFiles('nodes/images/build-base-image.sh') }}", text);
        Assert.Contains("./coup merge shards/store-shard-* \"${baseline[@]}\" --output merged", text);
        Assert.Contains("2) echo \"::warning::", text);
        Assert.Contains("1) echo \"::error::invalid cells or regressions", text);
    }

    /// <summary>
    /// The installed validator if .ci/run put one on the PATH, else npx (from its cache when offline).
    /// </summary>
    private static (int Exit, string Output) Validate(string path)
    {
        var installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, "action-validator")));
        var start = installed
            ? new ProcessStartInfo("action-validator") { ArgumentList = { path } }
            : new ProcessStartInfo("npx") { ArgumentList = { "--yes", "@action-validator/cli", path } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"action-validator did not finish within 2 minutes on {path}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory);
            directory is not null;
            directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coup.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Coup.slnx above {AppContext.BaseDirectory}");
    }
}
