package hub.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * `synonym_graph` of analysis-common, for inline rules in Solr format (`synonyms`, or a
 * file named by `synonyms_path`): "a, b, c" makes the words equivalent, "a => b" rewrites.
 *
 * As in Elasticsearch, the rules are analysed by the tokenizer, char filters and the token
 * filters that come before this one in the analyzer, so a rule written as people type it
 * ("أقمشة, قماش") meets the stemmed words of a query. A graph filter belongs in a
 * search analyzer: an index analyzer using it is refused.
 */
final class SynonymGraphFilterFactory extends AbstractTokenFilterFactory {

    private final List<String> rules;
    private final boolean lenient;

    SynonymGraphFilterFactory(String name, Settings settings, Environment environment) {
        super(name, settings);
        this.rules = Analysis.getWordList(environment, settings, "synonyms");
        if (rules == null) {
            throw new IllegalArgumentException("synonym requires either `synonyms` or `synonyms_path` to be configured");
        }
        this.lenient = settings.getAsBoolean("lenient", false);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an analysis chain first");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return AnalysisMode.SEARCH_TIME;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        Analyzer ruleAnalyzer = new CustomAnalyzer(
            tokenizer,
            charFilters.toArray(new CharFilterFactory[0]),
            previousTokenFilters.stream().map(TokenFilterFactory::getSynonymFilter).toArray(TokenFilterFactory[]::new)
        );
        SynonymMap map = parse(ruleAnalyzer);
        String name = name();
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                // An empty map (every rule analysed away) must not fail.
                return map.fst == null ? tokenStream : new SynonymGraphFilter(tokenStream, map, false);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                // A synonym filter later in the chain must not apply this one's rules to its own.
                return IDENTITY_FILTER;
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return AnalysisMode.SEARCH_TIME;
            }
        };
    }

    private SynonymMap parse(Analyzer analyzer) {
        try {
            SolrSynonymParser parser = new SolrSynonymParser(true, true, analyzer) {
                @Override
                public void add(org.apache.lucene.util.CharsRef input, org.apache.lucene.util.CharsRef output, boolean includeOrig) {
                    // A rule whose words the chain drops (stop words) would fail the whole list.
                    if (lenient && (input.length == 0 || output.length == 0)) {
                        return;
                    }
                    super.add(input, output, includeOrig);
                }
            };
            parser.parse(new StringReader(String.join("\n", rules)));
            return parser.build();
        } catch (IOException | ParseException | IllegalArgumentException error) {
            throw new IllegalArgumentException("failed to build synonyms for [" + name() + "]: " + error.getMessage(), error);
        }
    }
}
