using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Liberterra.Web.Settings;

/// <summary>
/// Binds and checks the <see cref="ISettingsSection"/> classes. Each bad value becomes one line that names its key and
/// says what is allowed, reported together before anything else runs (<see cref="ValidateSettings"/>), so a mistake stops
/// the app at start-up instead of failing a request later. Every value is converted here first, with the converter the
/// configuration binder itself uses, so the binder never throws its own exception (a stack trace that cannot say what
/// is allowed). A text value is never repeated in a line, since it may be a password or a connection string.
/// </summary>
public static class SettingsExtensions
{
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services)
        where T : class, ISettingsSection
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, SettingsValidator<T>>());
        return services.AddOptions<T>()
            .Configure<IConfiguration>((settings, configuration) => Bind(configuration.GetSection(T.Section), settings))
            .ValidateOnStart();
    }

    /// <summary>
    /// The section's settings, for the few that must be known while services are still being registered; null when
    /// they are not valid, which <see cref="ValidateSettings"/> then reports like any other bad setting.
    /// </summary>
    public static T? TryRead<T>(this IConfiguration configuration)
        where T : class, ISettingsSection, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new T();
        try
        {
            Bind(configuration.GetSection(T.Section), settings);
        }
        catch (OptionsValidationException)
        {
            return null;
        }

        return Problems(settings).Count == 0 ? settings : null;
    }

    /// <summary>Checks every registered settings class now, rather than when the host starts (commands never start it).</summary>
    public static void ValidateSettings(this IServiceProvider services) =>
        services.GetRequiredService<IStartupValidator>().Validate();

    /// <summary>One line per bad setting when <paramref name="exception"/> is a validation failure; empty otherwise.</summary>
    public static IReadOnlyList<string> InvalidSettings(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.ToList(),
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Distinct().ToList(),
        _ => [],
    };

    /// <summary>The key of a property: "Section:Property", as docs/operations.md lists it.</summary>
    public static string Key<T>(string property)
        where T : ISettingsSection => $"{T.Section}:{property}";

    /// <summary>The settings of a class: its public settable instance properties.</summary>
    public static IReadOnlyList<PropertyInfo> Properties(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }).ToList();
    }

    /// <summary>What a property accepts, in words, from its type and its <see cref="RangeAttribute"/>.</summary>
    public static string Allowed(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = property.GetCustomAttribute<RangeAttribute>();
        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
            _ when type == typeof(int) && range is { Maximum: int.MaxValue } => $"a whole number, {range.Minimum} or more",
            _ when type == typeof(int) && range is not null => $"a whole number from {range.Minimum} to {range.Maximum}",
            _ when type == typeof(int) => "a whole number",
            _ => "text",
        };
    }

    private static void Bind<T>(IConfigurationSection section, T settings)
        where T : class, ISettingsSection
    {
        var properties = Properties(typeof(T));
        List<string> problems = [];
        if (!T.AllowsOtherKeys)
        {
            var names = properties.Select(p => p.Name).ToList();
            problems.AddRange(section.GetChildren()
                .Where(child => !names.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                .Select(child => $"Setting {section.Path}:{child.Key} is not known; the settings under {T.Section} are {string.Join(", ", names)}."));
        }

        foreach (var property in properties)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(string) || section[property.Name] is not { } text || Converts(type, text))
            {
                continue;
            }

            problems.Add($"Setting {Key<T>(property.Name)} is '{text}'; it must be {Allowed(property)}.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(T.Section, typeof(T), problems);
        }

        section.Bind(settings);
    }

    // Enums by name only: the binder would also take "7", a value with no name.
    private static bool Converts(Type type, string text)
    {
        if (type.IsEnum)
        {
            return Enum.GetNames(type).Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            return text.Length > 0;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException or NotSupportedException)
        {
            return false;
        }
    }

    internal static List<string> Problems<T>(T settings)
        where T : class, ISettingsSection
    {
        List<string> problems = [];
        foreach (var property in Properties(typeof(T)))
        {
            if (property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(property.GetValue(settings)))
            {
                problems.Add($"Setting {Key<T>(property.Name)} is {Convert.ToString(property.GetValue(settings), CultureInfo.InvariantCulture)}; it must be {Allowed(property)}.");
            }
        }

        if (settings is IValidatableObject validatable)
        {
            problems.AddRange(validatable.Validate(new ValidationContext(settings))
                .Select(result => $"Setting {Key<T>(result.MemberNames.Single())} {result.ErrorMessage}"));
        }

        return problems;
    }

    private sealed class SettingsValidator<T> : IValidateOptions<T>
        where T : class, ISettingsSection
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
