using Coup.Harness.Docker;

namespace Coup.Harness.Tests;

/// <summary>An image build shows each step as the engine starts it, and where it is when reminded.</summary>
public sealed class ImageBuildProgressTests
{
    [Fact]
    public void Given_the_engines_build_output_When_taken_Then_each_step_is_one_line_with_its_count_and_elapsed_time()
    {
        var output = new StringWriter();
        var progress = new ImageBuildProgress("coup/zookeeper:abc", output, () => TimeSpan.FromSeconds(42));

        foreach (var line in new[]
        {
            "Step 1/3 : ARG BASE_IMAGE",
            " ---> 1234",
            "Get:1 http://deb.debian.org",
            "Step 2/3 : RUN apt-get install zookeeper\n"
        })
        {
            progress.Take(line);
        }

        Assert.Equal(
            ["building image coup/zookeeper:abc: step 1/3, 42s: ARG BASE_IMAGE",
             "building image coup/zookeeper:abc: step 2/3, 42s: RUN apt-get install zookeeper"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Given_a_long_step_When_reminded_Then_it_says_the_step_it_is_at_and_the_elapsed_time()
    {
        var output = new StringWriter();
        var elapsedS = 0;
        var progress = new ImageBuildProgress("coup/zookeeper:abc", output, () => TimeSpan.FromSeconds(elapsedS));
        progress.Take("Step 2/3 : RUN apt-get install zookeeper");
        elapsedS = 300;

        progress.Remind();

        Assert.EndsWith($"building image coup/zookeeper:abc: step 2/3, 300s{Environment.NewLine}", output.ToString());
    }

    [Fact]
    public void Given_a_very_long_instruction_When_taken_Then_it_is_cut_to_one_readable_line()
    {
        var output = new StringWriter();
        var progress = new ImageBuildProgress("coup/etcd:abc", output, () => TimeSpan.Zero);

        progress.Take($"Step 3/5 : RUN {new string('x', 500)}");

        Assert.True(output.ToString().TrimEnd().Length < 160, output.ToString());
        Assert.EndsWith($"...{Environment.NewLine}", output.ToString());
    }
}
