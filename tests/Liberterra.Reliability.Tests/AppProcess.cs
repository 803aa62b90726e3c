using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Liberterra.Web.Tests;

namespace Liberterra.Reliability.Tests;

/// <summary>
/// The built app (Liberterra.Web.dll) as a separate process, in Production, on 127.0.0.1 and a port Kestrel picks, on
/// one database that it keeps across <see cref="Kill"/> and <see cref="StartAsync"/>. A shell between this test process
/// and the app stops the app when this process is gone, and `timeout` stops it after <see cref="MaxLifetime"/>
/// whatever happens, so it never outlives the test run.
/// </summary>
public sealed partial class AppProcess(TestDatabase database) : IDisposable
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private static readonly string WebDirectory = typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "WebProjectDirectory").Value!;

    // $1 lifetime in seconds, $2 the app's dll, $3 this test process. Polling, because the shell must notice both the
    // app dying (a kill) and this process dying (then it stops the app, which `timeout` passes SIGTERM on to).
    private const string Watchdog = """
        timeout -k 5 "$1" dotnet "$2" --urls http://127.0.0.1:0 &
        app=$!
        while kill -0 "$3" 2>/dev/null; do
          kill -0 "$app" 2>/dev/null || exit 0
          sleep 1
        done
        kill "$app"
        """;

    private readonly Queue<string> lastLines = new();
    private Process? shell;
    private TaskCompletionSource<int> port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The app's own process (dotnet), below the shell and `timeout`.</summary>
    public int Pid { get; private set; }

    /// <summary>Resident memory of the app, from /proc/PID/status.</summary>
    public double RssMegabytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{Pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
    }

    /// <summary>The app's last lines of output, to explain a failure.</summary>
    public string Log
    {
        get
        {
            lock (lastLines)
            {
                return string.Join('\n', lastLines);
            }
        }
    }

    /// <summary>Starts the app (again, after a kill) and waits until /health/ready answers.</summary>
    public async Task StartAsync()
    {
        if (shell is not null)
        {
            throw new InvalidOperationException("The app is already running.");
        }

        port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = StartInfo("sh", "-c", Watchdog, "sh", ((int)MaxLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            typeof(Program).Assembly.Location, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        shell = Process.Start(start)!;
        shell.OutputDataReceived += (_, e) => Remember(e.Data);
        shell.ErrorDataReceived += (_, e) => Remember(e.Data);
        shell.BeginOutputReadLine();
        shell.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var exited = shell.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(port.Task, exited) != port.Task)
            {
                throw new InvalidOperationException(shell.HasExited
                    ? $"The app exited during start-up:\n{Log}"
                    : $"The app did not start listening within {StartTimeout.TotalSeconds:0} s:\n{Log}");
            }

            BaseAddress = new Uri($"http://127.0.0.1:{await port.Task}");
            Pid = ChildOf(ChildOf(shell.Id, "timeout"), "dotnet");
            using var http = new HttpClient();
            while (!await ReadyAsync(http, timeout.Token))
            {
                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app was not ready within {StartTimeout}:\n{Log}");
        }
    }

    /// <summary>SIGKILL (Process.Kill on Linux) of the shell, `timeout` and the app, and waits until the app is gone.</summary>
    public void Kill()
    {
        if (shell is null)
        {
            return;
        }

        shell.Kill(entireProcessTree: true);
        shell.WaitForExit();
        shell.Dispose();
        shell = null;
        var deadline = Stopwatch.StartNew();
        while (IsAlive(Pid))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The app (pid {Pid}) survived SIGKILL for 30 s.");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Runs the app's own command line (e.g. `keys issue`) on the same database and returns its stdout.</summary>
    public async Task<string> CommandAsync(params string[] args)
    {
        var start = StartInfo("timeout", ["-k", "5", "120", "dotnet", typeof(Program).Assembly.Location, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            // stderr only: stdout may hold a key.
            throw new InvalidOperationException($"`{args[0]} {args[1]}` exited with {process.ExitCode}: {await error}");
        }

        return (await output).Trim();
    }

    /// <summary>A new key from `keys issue`, as an operator would get one.</summary>
    public Task<string> IssueKeyAsync(string role, string? country = null) => country is null
        ? CommandAsync("keys", "issue", "--role", role, "--label", $"reliability {role}")
        : CommandAsync("keys", "issue", "--role", role, "--country", country, "--label", $"reliability {country}");

    public void Dispose() => Kill();

    private ProcessStartInfo StartInfo(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = WebDirectory, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in database.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // The per-key limit caps one client; these tests drive many writes through each key on purpose.
        start.Environment["RateLimiting__PermitsPerSecond"] = "1000000";
        start.Environment["RateLimiting__Burst"] = "1000000";
        return start;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (!port.Task.IsCompleted && ListeningOn().Match(line) is { Success: true } match)
        {
            port.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 40)
            {
                lastLines.Dequeue();
            }
        }
    }

    private async Task<bool> ReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(BaseAddress, "/health/ready"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The child of a process that runs a command, found by its parent id in /proc (this kernel has no /proc/PID/task/TID/children).</summary>
    private static int ChildOf(int parent, string command)
    {
        for (var tries = 0; tries < 100; tries++)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentOf(pid) == parent && CommandOf(pid) == command)
                {
                    return pid;
                }
            }

            Thread.Sleep(20);
        }

        throw new InvalidOperationException($"Process {parent} has no child running {command}.");
    }

    private static string? CommandOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // After the command name in parentheses (which may hold spaces): state, then the parent's id.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex("\"address\":\"http://127\\.0\\.0\\.1:([0-9]+)\"")]
    private static partial Regex ListeningOn();
}
