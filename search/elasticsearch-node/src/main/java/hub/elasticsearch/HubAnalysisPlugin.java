package hub.elasticsearch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

/**
 * What the Hub's index needs from the two Elasticsearch modules that are not on
 * Maven Central for 8.x, for a test node built from the integ-test-zip distribution:
 *
 * - from analysis-common, the char filters and token filters that
 *   search/backends/elasticsearch.py puts in its analyzers, under the same names
 *   and with the same settings (AnalysisComponents, SynonymGraphFilterFactory);
 * - from reindex, `POST /{index}/_delete_by_query`, which the backend's delete uses
 *   (RestDeleteByQueryAction);
 * - from rest-root, `GET /` and `HEAD /` (RestRootAction), which clients ping.
 *
 * Everything else (standard tokenizer, stop filter, mappings, queries, highlighting,
 * aggregations, suggesters, aliases, bulk) is Elasticsearch's own server code.
 */
public class HubAnalysisPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of(
            "pattern_replace",
            requiresAnalysisSettings((indexSettings, env, name, settings) -> AnalysisComponents.patternReplace(name, settings)),
            "mapping",
            requiresAnalysisSettings((indexSettings, env, name, settings) -> AnalysisComponents.mapping(name, settings, env))
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "elision",
            requiresAnalysisSettings((indexSettings, env, name, settings) -> AnalysisComponents.elision(name, settings, env)),
            "lowercase",
            (indexSettings, env, name, settings) -> AnalysisComponents.lowercase(name, settings),
            "asciifolding",
            (indexSettings, env, name, settings) -> AnalysisComponents.asciiFolding(name, settings),
            "arabic_normalization",
            (indexSettings, env, name, settings) -> AnalysisComponents.arabicNormalization(name, settings),
            "decimal_digit",
            (indexSettings, env, name, settings) -> AnalysisComponents.decimalDigit(name, settings),
            "stemmer",
            (indexSettings, env, name, settings) -> AnalysisComponents.stemmer(name, settings),
            "edge_ngram",
            (indexSettings, env, name, settings) -> AnalysisComponents.edgeNGram(name, settings),
            "truncate",
            (indexSettings, env, name, settings) -> AnalysisComponents.truncate(name, settings),
            "synonym_graph",
            requiresAnalysisSettings((indexSettings, env, name, settings) -> new SynonymGraphFilterFactory(name, settings, env))
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RestDeleteByQueryAction(), new RestRootAction(clusterService::get));
    }
}
