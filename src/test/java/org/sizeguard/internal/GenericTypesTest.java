package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class GenericTypesTest {

    interface Source<T> {
    }

    abstract static class Base<T> implements Source<T> {
    }

    abstract static class Lists<E> extends Base<List<E>> {
    }

    static final class Strings extends Lists<String> {
    }

    static final class Direct implements Source<Map<String, Integer>> {
    }

    static class Open<X> extends Base<X> {
    }

    @SuppressWarnings("rawtypes")
    static final class Raw implements Source {
    }

    @Test
    void bindsTheArgumentOfAnInterfaceThroughGenericSuperclasses() {
        Type argument = GenericTypes.typeArgument(Strings.class, Source.class, 0);

        assertThat(argument).isInstanceOf(ParameterizedType.class).hasToString("java.util.List<java.lang.String>");
        assertThat(((ParameterizedType) argument).getActualTypeArguments()).containsExactly(String.class);
        assertThat(GenericTypes.rawClass(argument)).isEqualTo(List.class);
        assertThat(GenericTypes.isConcrete(argument)).isTrue();
        assertThat(GenericTypes.typeArgument(Strings.class, Base.class, 0)).isEqualTo(argument);
    }

    @Test
    void readsAnArgumentGivenDirectly() {
        Type argument = GenericTypes.typeArgument(Direct.class, Source.class, 0);

        assertThat(GenericTypes.rawClass(argument)).isEqualTo(Map.class);
        assertThat(GenericTypes.isConcrete(argument)).isTrue();
    }

    @Test
    void leavesAVariableWhereNoSubclassBindsIt() {
        assertThat(GenericTypes.typeArgument(Open.class, Source.class, 0)).isInstanceOf(TypeVariable.class)
                .satisfies(variable -> assertThat(GenericTypes.isConcrete(variable)).isFalse());
        assertThat(GenericTypes.typeArgument(Raw.class, Source.class, 0)).isInstanceOf(TypeVariable.class);
    }

    @Test
    void answersNullForATypeThatDoesNotExtendTheGenericOne() {
        assertThat(GenericTypes.typeArgument(Strings.class, Function.class, 0)).isNull();
    }
}
