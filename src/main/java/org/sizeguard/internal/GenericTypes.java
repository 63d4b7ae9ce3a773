package org.sizeguard.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What type arguments a class gives to a generic superclass or interface, through any number of generic classes in
 * between: for {@code class OrderDecoder extends JsonDecoder<Order>} and {@code JsonDecoder<T> implements
 * Decoder.TextStream<T>}, the argument of {@code Decoder.TextStream} is {@code Order}. Stateless.
 */
public final class GenericTypes {

    private GenericTypes() {
    }

    /**
     * The {@code index}th type argument that {@code type} gives to {@code generic}, its type variables replaced by
     * what the subclasses bind them to; a {@link TypeVariable} where none does (a raw or still generic use), and
     * {@code null} if {@code type} does not extend or implement {@code generic}.
     */
    public static Type typeArgument(Class<?> type, Class<?> generic, int index) {
        return find(type, generic, index, Map.of());
    }

    /**
     * The type that {@code concrete} gives to the one type parameter of the codec base class {@code generic}, e.g.
     * {@code Order} for {@code class OrderDecoder extends JsonDecoder<Order>}.
     *
     * @throws IllegalStateException naming both classes if the hierarchy leaves it a type variable
     */
    public static Type concreteTypeArgument(Class<?> concrete, Class<?> generic) {
        Type bound = typeArgument(concrete, generic, 0);
        if (bound == null || !isConcrete(bound)) {
            throw new IllegalStateException(concrete.getName() + " must extend " + generic.getSimpleName()
                    + " with a concrete type argument (a codec must name the type it decodes to or encodes from),"
                    + " e.g. class OrderCodec extends " + generic.getSimpleName() + "<Order> {}");
        }
        return bound;
    }

    /** Whether {@code type} names no type variable or wildcard: a class, or a parameterized type of such. */
    public static boolean isConcrete(Type type) {
        if (type instanceof Class<?>) {
            return true;
        }
        if (type instanceof ParameterizedType parameterized) {
            return Arrays.stream(parameterized.getActualTypeArguments()).allMatch(GenericTypes::isConcrete);
        }
        if (type instanceof GenericArrayType array) {
            return isConcrete(array.getGenericComponentType());
        }
        return false;
    }

    /** The class of {@code type}: itself, its raw type, or the first bound of a variable or wildcard. */
    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> plain) {
            return plain;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        if (type instanceof GenericArrayType array) {
            return rawClass(array.getGenericComponentType()).arrayType();
        }
        if (type instanceof TypeVariable<?> variable) {
            return rawClass(variable.getBounds()[0]);
        }
        if (type instanceof WildcardType wildcard) {
            return rawClass(wildcard.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type find(Class<?> type, Class<?> generic, int index, Map<TypeVariable<?>, Type> bindings) {
        List<Type> supertypes = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            supertypes.add(type.getGenericSuperclass());
        }
        supertypes.addAll(Arrays.asList(type.getGenericInterfaces()));
        for (Type supertype : supertypes) {
            Class<?> raw = rawClass(supertype);
            Map<TypeVariable<?>, Type> next = new HashMap<>();
            if (supertype instanceof ParameterizedType parameterized) {
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] arguments = parameterized.getActualTypeArguments();
                for (int i = 0; i < variables.length; i++) {
                    next.put(variables[i], substitute(arguments[i], bindings));
                }
            }
            if (raw == generic) {
                TypeVariable<?> variable = generic.getTypeParameters()[index];
                return next.getOrDefault(variable, variable);
            }
            Type found = find(raw, generic, index, next);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> variable) {
            return bindings.getOrDefault(variable, variable);
        }
        if (type instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = substitute(arguments[i], bindings);
            }
            return new BoundType((Class<?>) parameterized.getRawType(), parameterized.getOwnerType(), arguments);
        }
        return type;
    }

    /** A parameterized type whose arguments were bound through a generic superclass. */
    private record BoundType(Class<?> raw, Type owner, Type[] arguments) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ParameterizedType that && raw.equals(that.getRawType())
                    && Objects.equals(owner, that.getOwnerType())
                    && Arrays.equals(arguments, that.getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(arguments) ^ Objects.hashCode(owner) ^ raw.hashCode();
        }

        @Override
        public String toString() {
            StringBuilder name = new StringBuilder(raw.getTypeName()).append('<');
            for (int i = 0; i < arguments.length; i++) {
                name.append(i == 0 ? "" : ", ").append(arguments[i].getTypeName());
            }
            return name.append('>').toString();
        }
    }
}
