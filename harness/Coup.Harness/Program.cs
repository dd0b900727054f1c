return await Coup.Harness.Cli.CoupCli.InvokeAsync(args, CancellationToken.None);
